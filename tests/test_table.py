"""The task breakdown table (graph/table.py): the XLSX opened with openpyxl and its rows checked against the
graph; the CSV; a corpus table; cells that must stay text."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
from openpyxl import load_workbook

from policykg.cli import main
from policykg.graph import ownership, risks, table
from policykg.graph.projection import nodes_of_kind
from policykg.render import target_text
from tests.test_analysis import add_document, add_indicator, add_task, two_documents
from tests.test_graph_sample import EXAMPLE
from tests.test_projection import example_projection

HEADER = ["序号", "编号", "任务", "牵头单位", "配合单位", "指标（目标值、单位、年份）", "完成时限", "原文"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("table") / "out"
    assert main(["build", str(EXAMPLE), "-o", str(out), "--no-validate"]) == 0
    return out


def test_xlsx_rows_are_the_graph_tasks(built: Path):
    assert main(["table", str(built), "-o", str(built / "tasks.xlsx")]) == 0
    wb = load_workbook(built / "tasks.xlsx")
    assert wb.sheetnames == ["任务分解表", "无人负责指标"]
    ws = wb["任务分解表"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    G = example_projection()
    tasks = nodes_of_kind(G, "task")
    assert len(rows) - 1 == len(tasks) == 14
    for n, (row, task) in enumerate(zip(rows[1:], tasks, strict=True), start=1):
        t = G.nodes[task]
        cells = dict(zip(HEADER, row, strict=True))
        assert cells["序号"] == n
        assert (cells["编号"], cells["任务"], cells["牵头单位"]) == (t["path"], t["title"], t["lead"])
        assert (cells["配合单位"] or "") == "、".join(t["co"])
        assert (cells["完成时限"], cells["原文"]) == (t["deadline"], t["quote"])
        lines = (cells["指标（目标值、单位、年份）"] or "").splitlines()
        indicators = ownership.indicators_of(G, task)
        assert [line.split()[0] for line in lines] == [G.nodes[i]["indicator_id"] for i in indicators]
        assert all(line.endswith(target_text(G.nodes[i])) for line, i in zip(lines, indicators, strict=True))
    first = dict(zip(HEADER, rows[1], strict=True))
    assert (first["编号"], first["牵头单位"], first["配合单位"], first["完成时限"]) == (
        "三/（一）/1", "市质监局", "市经信委、苏州出入境检验检疫局", "到2020年")
    assert first["指标（目标值、单位、年份）"].splitlines()[0] == "I33 卓越绩效管理示范企业总数 ≥80家 (2020)"
    assert first["原文"].startswith("1.实施质量管理提优行动。")
    # opens well: a frozen bold header with a filter, widths set, text wrapped
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:H15"
    assert ws["A1"].font.bold and ws["H2"].alignment.wrap_text
    assert [ws.column_dimensions[c].width for c in "ABCDEFGH"] == [6, 12, 30, 16, 36, 46, 14, 90]
    unassigned = list(wb["无人负责指标"].iter_rows(values_only=True))
    assert unassigned[0] == ("指标", "所在章节", "指标对象", "目标值", "原文")
    assert [r[0] for r in unassigned[1:]] == [G.nodes[i]["indicator_id"] for i in risks.unreachable_indicators(G)]
    assert unassigned[1] == ("I01", "二/（一）", "制造业质量竞争力指数", ">90 (2020)", "制造业质量竞争力指数高于90")


def test_csv_is_the_same_table(built: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["table", str(built), "-o", str(built / "tasks.csv")]) == 0
    data = (built / "tasks.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel and WPS read UTF-8 only with the mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADER and len(rows) == 15
    expected = table.task_rows(example_projection())
    assert [r[1] for r in rows[1:]] == [r["path"] for r in expected]
    assert rows[1][5].splitlines() == expected[0]["indicators"].splitlines()
    capsys.readouterr()
    assert main(["table", str(built), "-o", "-"]) == 0
    assert capsys.readouterr().out.lstrip("\ufeff").startswith("序号,编号,任务,牵头单位")


def test_table_errors(built: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["table", str(built), "-o", str(built / "t.ods")]) == 64
    assert "cannot tell the format" in capsys.readouterr().err
    assert main(["table", str(built), "-o", "-", "--format", "xlsx"]) == 64
    assert "give the XLSX table a file" in capsys.readouterr().err
    assert main(["table", str(built / "nothing"), "-o", str(built / "t.xlsx")]) == 65


def test_a_corpus_table_names_the_document():
    G = two_documents()
    rows = table.task_rows(G)
    assert [(r["document"], r["path"], r["lead"], r["co"]) for r in rows] == [("X", "X1", "A", ""),
                                                                               ("Y", "Y1", "B", "A")]
    wb = load_workbook(io.BytesIO(table.xlsx_bytes(G)))
    assert next(wb["任务分解表"].iter_rows(values_only=True))[:3] == ("序号", "文件", "编号")


def test_cells_stay_text():
    """Document text that looks like a formula stays text; control characters openpyxl refuses are dropped."""
    G = nx.MultiDiGraph()
    add_document(G, "D")
    add_task(G, "T", "D", "D", "=HYPERLINK(\"http://x\")", [])
    G.nodes["T"].update(title="=1+1", quote="原文\x07内容")
    add_indicator(G, "i", "T")
    ws = load_workbook(io.BytesIO(table.xlsx_bytes(G)))["任务分解表"]
    assert (ws["C2"].value, ws["C2"].data_type) == ("=1+1", "s")
    assert (ws["D2"].value, ws["D2"].data_type) == ("=HYPERLINK(\"http://x\")", "s")
    assert ws["H2"].value == "原文内容"


def test_xlsx_bytes_are_deterministic(monkeypatch):
    import datetime as real_datetime

    import networkx as nx

    from policykg.graph import table

    graph = nx.MultiDiGraph()
    first = table.xlsx_bytes(graph)

    class Later(real_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return real_datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=tz)

        @classmethod
        def utcnow(cls):
            return real_datetime.datetime(2031, 5, 6, 7, 8, 9)

    monkeypatch.setattr(real_datetime, "datetime", Later)
    assert table.xlsx_bytes(graph) == first
