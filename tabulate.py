"""Aligned plain-text tables that stay aligned with Chinese text (CJK characters take two columns)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(value: object, limit: int) -> str:
    s = "" if value is None else str(value).replace("\n", " ")
    if display_width(s) <= limit:
        return s
    out, width = "", 0
    for ch in s:
        w = display_width(ch)
        if width + w > limit - 1:
            break
        out, width = out + ch, width + w
    return out + "…"


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]], max_width: int = 40) -> str:
    """Header, a rule, and rows; every column padded to its widest cell (cells cut at max_width)."""
    cells = [[_cell(h, max_width) for h in header]] + [[_cell(v, max_width) for v in row] for row in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(header))]

    def line(row: list[str]) -> str:
        return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(row, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])
