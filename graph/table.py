"""The task breakdown table (任务分解表) supervision offices work with: one row per task with its numbering
path, title, lead and co-responsible departments, indicators, deadline and the source text; as XLSX (openpyxl)
or CSV."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from typing import Any

import networkx as nx

from policykg.graph import ownership, risks
from policykg.graph.projection import nodes_of_kind
from policykg.render import target_text

# key, header, column width (in characters; a Chinese character takes about two)
COLUMNS: list[tuple[str, str, int]] = [
    ("no", "序号", 6),
    ("document", "文件", 24),
    ("path", "编号", 12),
    ("task", "任务", 30),
    ("lead", "牵头单位", 16),
    ("co", "配合单位", 36),
    ("indicators", "指标（目标值、单位、年份）", 46),
    ("deadline", "完成时限", 14),
    ("quote", "原文", 90),
]
UNASSIGNED_COLUMNS: list[tuple[str, str, int]] = [
    ("document", "文件", 24),
    ("id", "指标", 8),
    ("section", "所在章节", 12),
    ("subject", "指标对象", 36),
    ("target", "目标值", 18),
    ("quote", "原文", 60),
]
MAX_CELL = 32767  # the most characters an Excel cell holds


def task_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One record per task in reading order (documents in the projection's order), keyed as COLUMNS."""
    out = []
    for n, task in enumerate(nodes_of_kind(G, "task"), start=1):
        t = G.nodes[task]
        doc = G.nodes[t["document"]] if t["document"] in G else {}
        out.append({
            "no": n,
            "document": doc.get("label", ""),
            "path": t["path"],
            "task": t["title"],
            "lead": t["lead"] or "",
            "co": "、".join(t["co"]),
            "indicators": "\n".join(_indicator_line(G.nodes[i]) for i in ownership.indicators_of(G, task)),
            "deadline": t["deadline"] or "",
            "quote": t["quote"] or "",
        })
    return out


def unassigned_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """The quantitative targets no department owns, keyed as UNASSIGNED_COLUMNS."""
    out = []
    for i in risks.unreachable_indicators(G):
        d = G.nodes[i]
        doc = G.nodes[d["document"]] if d["document"] in G else {}
        out.append({"document": doc.get("label", ""), "id": d["indicator_id"], "section": d["owner"] or "",
                    "subject": d["subject"] or "", "target": target_text(d), "quote": d["text"] or ""})
    return out


def columns_for(G: nx.MultiDiGraph, columns: list[tuple[str, str, int]] = COLUMNS) -> list[tuple[str, str, int]]:
    """The columns to write: the document column only when the graph holds more than one document."""
    several = len(nodes_of_kind(G, "document")) > 1
    return [c for c in columns if c[0] != "document" or several]


def csv_bytes(G: nx.MultiDiGraph) -> bytes:
    """The task table as CSV in UTF-8 with a byte-order mark, which Excel and WPS need to read Chinese."""
    columns = columns_for(G)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for _, header, _ in columns])
    writer.writerows([row[key] for key, _, _ in columns] for row in task_rows(G))
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(G: nx.MultiDiGraph) -> bytes:
    """The workbook: the task table (任务分解表) and the targets no department owns (无人负责指标), each with
    a bold frozen header, a filter, column widths and wrapped text, to open well in Excel and WPS."""
    from openpyxl import Workbook

    wb = Workbook()
    tasks = wb.active
    tasks.title = "任务分解表"
    _sheet(tasks, columns_for(G), task_rows(G))
    _sheet(wb.create_sheet("无人负责指标"), columns_for(G, UNASSIGNED_COLUMNS), unassigned_rows(G))
    docs = [G.nodes[d] for d in nodes_of_kind(G, "document")]
    wb.properties.title = "任务分解表" + (f"：{docs[0]['title'] or docs[0]['label']}" if len(docs) == 1 else "")
    wb.properties.creator = "policykg"
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip_times(buf.getvalue())


# The same graph gives the same bytes: no save time in the workbook's properties or its zip entries.
_FIXED_TIME = datetime.datetime(2000, 1, 1)


def _fixed_zip_times(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here whatever we set
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    return out.getvalue()


def _sheet(ws: Any, columns: list[tuple[str, str, int]], rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append([header for _, header, _ in columns])
    for row in rows:
        ws.append([_excel(row[key]) for key, _, _ in columns])
    for cells in ws.iter_rows(min_row=2):
        for c in cells:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # document text, never a formula
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for n, (_, _, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _excel(value: Any) -> Any:
    """A value a cell can hold: no control characters (openpyxl refuses them), no more than a cell takes."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def _indicator_line(d: dict[str, Any]) -> str:
    return f"{d['indicator_id']} {d['subject'] or ''} {target_text(d)}".replace("  ", " ").strip()
