"""List (or fill) untranslated and fuzzy entries of a catalogue.

    python scripts/po_todo.py locale/th/LC_MESSAGES/django.po            # print them as JSON
    python scripts/po_todo.py locale/th/LC_MESSAGES/django.po fill.json  # apply translations

fill.json maps msgid → msgstr (or, for plurals, msgid → [singular, plural]).
"""

from __future__ import annotations

import json
import sys

import polib


def main() -> None:
    path = sys.argv[1]
    catalogue = polib.pofile(path)
    if len(sys.argv) == 2:
        todo = {
            e.msgid: ""
            for e in catalogue
            if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
        }
        print(json.dumps(todo, ensure_ascii=False, indent=1))
        return
    with open(sys.argv[2], encoding="utf-8") as handle:
        fills = json.load(handle)
    done = 0
    for entry in catalogue:
        if entry.msgid not in fills:
            continue
        value = fills[entry.msgid]
        if entry.msgid_plural:
            forms = value if isinstance(value, list) else [value, value]
            entry.msgstr_plural = dict(enumerate(forms[: len(entry.msgstr_plural) or 1]))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        done += 1
    catalogue.save(path)
    print(f"filled {done}")


if __name__ == "__main__":
    main()
