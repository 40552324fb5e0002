"""Fill a catalogue's missing translations from other catalogues (after merging branches).

    git show other-branch:locale/th/LC_MESSAGES/django.po > /tmp/other.po
    make messages                                   # extract the merged tree's strings afresh
    python scripts/po_fill_from.py locale/th/LC_MESSAGES/django.po /tmp/other.po [...]

An entry is filled only when it is untranslated or fuzzy in the target and translated, not
fuzzy, in a source, and only when both carry the same placeholders (``%(name)s``, ``{name}``),
so a string whose wording changed never picks up a stale translation. Prints what it did and
what is still missing.
"""

from __future__ import annotations

import re
import sys

import polib

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _known(sources: list[polib.POFile]) -> dict[tuple[str, str], polib.POEntry]:
    known: dict[tuple[str, str], polib.POEntry] = {}
    for source in sources:
        for entry in source:
            if entry.obsolete or "fuzzy" in entry.flags or not entry.translated():
                continue
            known.setdefault((entry.msgctxt or "", entry.msgid), entry)
    return known


def main(target_path: str, source_paths: list[str]) -> None:
    target = polib.pofile(target_path)
    known = _known([polib.pofile(path) for path in source_paths])
    filled = 0
    missing = []
    for entry in target:
        if entry.obsolete or (entry.translated() and "fuzzy" not in entry.flags):
            continue
        found = known.get((entry.msgctxt or "", entry.msgid))
        if found is None or (found.msgid_plural or "") != (entry.msgid_plural or ""):
            missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            strings = list(found.msgstr_plural.values())
            if any(_placeholders(s) != _placeholders(entry.msgid_plural) for s in strings[1:]):
                missing.append(entry.msgid)
                continue
            entry.msgstr_plural = dict(found.msgstr_plural)
        else:
            if _placeholders(found.msgstr) != _placeholders(entry.msgid):
                missing.append(entry.msgid)
                continue
            entry.msgstr = found.msgstr
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
    target.save(target_path)
    print(f"filled {filled}; still missing {len(missing)}")
    for msgid in missing:
        print("  missing:", msgid[:100])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
