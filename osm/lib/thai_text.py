"""Thai line breaking for text we lay out ourselves (SVG maps and charts).

Thai is written without spaces between words, so a line may only break between words, and a
dictionary is needed to find them. Browsers and Pango (WeasyPrint) use libthai for this; so do
we, through ctypes: libthai ships with Pango on every machine that renders our PDFs. When it is
missing, breaks fall back to grapheme rules (never split a vowel or tone mark from its
consonant), which keeps text legible though not always at word boundaries.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import unicodedata
from functools import lru_cache
from typing import Any

_LEADING_VOWELS = frozenset("เแโใไ")
_FOLLOWING = frozenset("ะาำๅๆฯ")
_local = threading.local()


@lru_cache(maxsize=1)
def _libthai() -> Any:
    name = ctypes.util.find_library("thai") or "libthai.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    lib.th_brk_new.restype = ctypes.c_void_p
    lib.th_brk_new.argtypes = [ctypes.c_char_p]
    lib.th_brk_find_breaks.restype = ctypes.c_int
    lib.th_brk_find_breaks.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_size_t,
    ]
    return lib


def _breaker() -> Any:
    # A ThBrk keeps state while it works: one per thread.
    lib = _libthai()
    if lib is None:
        return None
    brk = getattr(_local, "brk", None)
    if brk is None:
        brk = _local.brk = lib.th_brk_new(None)
    return brk


def cells(ch: str) -> int:
    """Display width of one character: Thai marks above and below take no room."""
    return 0 if unicodedata.category(ch) in ("Mn", "Me") else 1


def width(text: str) -> int:
    return sum(cells(ch) for ch in text)


def _grapheme_ok(text: str, i: int) -> bool:
    ch, prev = text[i], text[i - 1]
    return not (cells(ch) == 0 or ch in _FOLLOWING or prev in _LEADING_VOWELS)


@lru_cache(maxsize=4096)
def word_breaks(text: str) -> frozenset[int]:
    """Indexes where a line may start: after spaces and between Thai words."""
    found = {i + 1 for i, ch in enumerate(text) if ch == " "}
    lib, brk = _libthai(), _breaker()
    if lib is not None and brk is not None and text:
        # TIS-620 has one byte per character, so byte offsets are character indexes;
        # characters it lacks (dashes, digits of other scripts) become "?" of the same length.
        data = text.encode("tis_620", errors="replace")
        positions = (ctypes.c_int * (len(data) + 1))()
        count = lib.th_brk_find_breaks(brk, data, positions, len(data) + 1)
        found.update(positions[i] for i in range(max(count, 0)))
    return frozenset(i for i in found if 0 < i < len(text))


def wrap(text: str, line_width: int, max_lines: int = 3) -> list[str]:
    """Split `text` into at most `max_lines` lines of at most `line_width` display cells,
    breaking between words; the last line ends with … when the text does not fit."""
    text = " ".join(text.split())
    breaks = word_breaks(text)
    lines: list[str] = []
    start = 0
    while start < len(text) and len(lines) < max_lines:
        used, cut, best = 0, len(text), -1
        for i in range(start, len(text)):
            used += cells(text[i])
            if used > line_width:
                if best > start:
                    cut = best
                else:  # one word longer than the line: split it between graphemes
                    cut = next((j for j in range(i, start, -1) if _grapheme_ok(text, j)), i)
                break
            if i + 1 in breaks:
                best = i + 1
        lines.append(text[start:cut].strip())
        start = cut
        while start < len(text) and text[start] == " ":
            start += 1
    if start < len(text) and lines:
        last = lines[-1]
        while last and width(last) > line_width - 1:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines
