"""Query results for people and programs: an aligned table (CJK characters count two columns), CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from typing import Any

RENDER_FORMATS = ("table", "csv", "json")


def width(text: str) -> int:
    """Columns a string takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return "、".join(cell(x) for x in v)
    return " ".join(str(v).split())  # one line per row, whatever the text holds


MAX_CELL = 48  # display columns: a long title is cut in the table (csv and json keep it whole)
CLIPPED = ("title", "subject", "text")  # never the departments: they are the answer


def clip(text: str, limit: int = MAX_CELL) -> str:
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        if used + width(ch) > limit - 1:
            break
        out, used = out + ch, used + width(ch)
    return out + "…"


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], clipped: Sequence[str] = CLIPPED) -> str:
    cut = [c in clipped for c in columns]
    texts = [[clip(cell(v)) if c else cell(v) for v, c in zip(row, cut, strict=True)] for row in rows]
    widths = [max([width(c)] + [width(r[i]) for r in texts]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(list(columns)), line(["-" * w for w in widths])]
    out.extend(line(r) for r in texts)
    return "\n".join(out) + "\n"


def json_text(data: object) -> str:
    """JSON as the project writes it everywhere (`policykg extract` too): UTF-8 text, one-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str,
           records: Sequence[dict[str, Any]] | None = None) -> str:
    """rows in fmt; JSON prints records when given (richer than the table's cells), else rows as objects."""
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell(v) for v in row] for row in rows)
        return buf.getvalue()
    if fmt == "json":
        data = list(records) if records is not None else [dict(zip(columns, row, strict=True)) for row in rows]
        return json_text(data)
    return table(columns, rows)


_COMPARATOR_SIGN = {">=": "≥", ">": ">", "=": "", "<=": "≤", "<": "<", "~": "约"}


def target_text(ind: dict[str, Any]) -> str:
    """A target in a few characters: ≥80家 (2020), 约2~3个, 每年≥300人次."""
    if ind.get("value") is None:
        amount = "(定性)"
    else:
        sign = _COMPARATOR_SIGN.get(ind.get("comparator") or "", "")
        number = _num(ind["value"]) + (f"~{_num(ind['value_max'])}" if ind.get("value_max") is not None else "")
        amount = ("每年" if ind.get("per_year") else "") + sign + number + (ind.get("unit") or "")
    return f"{amount} ({ind['year']})" if ind.get("year") is not None else amount


def _num(v: float | int) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
