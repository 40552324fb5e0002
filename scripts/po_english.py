"""Fill the English catalogue: every msgstr equals its msgid (sources are English)."""

from __future__ import annotations

import sys

import polib


def main(path: str) -> None:
    catalogue = polib.pofile(path)
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save(path)


if __name__ == "__main__":
    main(sys.argv[1])
