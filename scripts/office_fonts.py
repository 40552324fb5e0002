"""Write the fonts that LibreOffice uses when it converts office papers to PDF.

Official Thai documents are typed in "TH SarabunPSK" or "TH Sarabun New", which no server
has. osm/data/fonts/fonts.conf makes fontconfig answer those names with Sarabun, the same
face the PDFs embed, but LibreOffice reads only TrueType/OpenType files, not the web fonts
vendored in static/vendor/sarabun (split into a Thai and a Latin subset). This joins each
weight's two subsets into one TrueType file in osm/data/fonts/.

Sarabun's glyphs are as wide as TH SarabunPSK's, but its lines are a third closer: a paper
converted with it would break its pages elsewhere than its author saw (a letter of three
pages ending on two, its signature block moved). So the files carry TH SarabunPSK's line
metrics (SIPA's font, as kept in TLWG's Laksaman, which derives from it); measured on a
60-paragraph letter, pages and lines per page then come out as with Laksaman itself.

`make vendor` runs this after updating the vendored fonts; tests/osm/test_office.py checks
that the files still match them.

    .venv/bin/python scripts/office_fonts.py
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
VENDORED = ROOT / "static" / "vendor" / "sarabun"
TARGET = ROOT / "osm" / "data" / "fonts"
# Regular and bold: what documents use (fontconfig slants them for italics).
WEIGHTS = {400: "Sarabun-Regular.ttf", 700: "Sarabun-Bold.ttf"}
# TH SarabunPSK's vertical metrics, in units of 1000 per em like Sarabun's.
LINE_METRICS = {
    "hhea": {"ascent": 1270, "descent": -687, "lineGap": 30},
    "OS/2": {
        "sTypoAscender": 1279,
        "sTypoDescender": -376,
        "sTypoLineGap": 60,
        "usWinAscent": 1270,
        "usWinDescent": 687,
    },
}


def _truetype(path: Path) -> io.BytesIO:
    font = TTFont(path)
    font.flavor = None  # WOFF → plain TrueType
    buffer = io.BytesIO()
    font.save(buffer)
    buffer.seek(0)
    return buffer


def _stamp(path: Path) -> int:
    return int(TTFont(path)["head"].modified)


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    for weight, name in WEIGHTS.items():
        sources = [VENDORED / f"sarabun-{s}-{weight}-normal.woff" for s in ("thai", "latin")]
        merged = Merger().merge([_truetype(path) for path in sources])
        assert merged["head"].unitsPerEm == 1000
        for table, values in LINE_METRICS.items():
            for attribute, value in values.items():
                setattr(merged[table], attribute, value)
        # The same bytes from the same sources: the vendored font's dates, not today's.
        merged["head"].created = merged["head"].modified = _stamp(sources[0])
        merged.recalcTimestamp = False
        merged.save(TARGET / name)
        print(f"wrote {TARGET / name}")
    shutil.copyfile(VENDORED / "LICENSE", TARGET / "LICENSE")


if __name__ == "__main__":
    main()
