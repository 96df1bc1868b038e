"""The accountability report (graph/report.py, graph/plots.py): its findings on the example, escaping, a
self-contained HTML page, plots in a Chinese font, the CLI command and the Makefile's demo."""

from __future__ import annotations

import os
import re
import shlex
import warnings
from pathlib import Path

import networkx as nx
import pytest

from policykg.cli import main
from policykg.graph import plots, report
from tests.test_analysis import add_document, add_indicator, add_task, tiny
from tests.test_graph_sample import EXAMPLE, REPO
from tests.test_projection import example_projection


@pytest.fixture(scope="module")
def example_report() -> report.Report:
    return report.build_report(example_projection())


def test_findings_on_the_example(example_report: report.Report):
    md = report.markdown(example_report)
    assert md.startswith("# 问责分析报告 Accountability report\n\n"
                         "市政府办公室印发关于进一步加强质量品牌建设意见的通知（苏府办〔2017〕173号）")
    assert "1 document, 14 tasks, 27 responsible departments, 50 indicators (50 quantitative)." in md
    for finding in ["- Leads the most tasks: 市质监局 (7 of 14).",
                    "- Heaviest workload: 市质监局 (21: 7 led, 7 co-operated; weights lead 2, co 1).",
                    "- Most co-responsible departments: 三/（二）/1 开展品牌“植树育林”行动 (13); "
                    "6 tasks with 6 or more.",
                    "- At the centre of coordination: 市质监局 (betweenness 0.19; shares tasks with 26 of 26 other "
                    "departments).",
                    "- 4 communities of departments that share tasks mostly among themselves.",
                    "- 22 of 27 responsible departments co-operate but never lead.",
                    "- 2 goals none of whose targets any department owns; 28 quantitative targets no department owns."]:
        assert finding in md, finding
    assert "| 1 | 市质监局 | 苏州市质量技术监督局 | 7 | 7 | 18 | 21 |" in md
    assert "| 二/（三） | 质量发展基础更加坚实 | 12 |" in md
    assert "| I01 | 二/（一） | 制造业质量竞争力指数 | >90 (2020) |" in md
    assert "Across documents" not in md  # one document
    assert "![" not in md  # no plot files given


def test_weights_and_threshold_are_parameters():
    md = report.markdown(report.build_report(example_projection(), {"lead": 1, "co": 0}, threshold=10))
    assert "Heaviest workload: 市质监局 (7: 7 led, 7 co-operated; weights lead 1, co 0)." in md
    assert "2 tasks with 10 or more." in md


def test_html_is_self_contained_and_escaped(example_report: report.Report):
    page = report.html_page(example_report, report.render_pngs(example_report))
    assert page.startswith("<!DOCTYPE html>") and "<title>问责分析报告 Accountability report</title>" in page
    assert page.count('<img alt="') == 2 and page.count('src="data:image/png;base64,') == 2
    # nothing to fetch: every src/href is a data: URI, no stylesheet or script from elsewhere
    assert re.findall(r'(?:src|href)="(?!data:)', page) == []
    assert "<script" not in page and "url(" not in page and "@import" not in page
    assert "<td>&gt;90 (2020)</td>" in page


def _hostile() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    add_document(G, "D")
    G.nodes["D"]["title"] = "<script>alert('x')</script>"
    add_task(G, "T", "D", "D", "A<b>", ["B|C", "D*_"])
    G.nodes["T"].update(path="一/1", title="<img src=x onerror=alert(1)> | [link](http://evil)")
    add_indicator(G, "i", "D")
    G.nodes["i"].update(subject="`code` & <i>", comparator=">=", year=2020)
    for n in G:
        G.nodes[n]["label"] = G.nodes[n].get("title") or G.nodes[n]["label"]
    G.nodes["A<b>"]["label"] = "A<b>"
    return G


def test_document_text_is_escaped_in_both_formats():
    built = report.build_report(_hostile(), threshold=1)
    page = report.html_page(built, {})
    assert "<script>" not in page and "<img src=x" not in page and "A<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "A&lt;b&gt;" in page
    md = report.markdown(built)
    assert "<script>" not in md and "<img" not in md and "[link](" not in md and "A<b>" not in md
    assert r"&lt;img src=x onerror=alert(1)> \| \[link\](http://evil)" in md
    assert r"B\|C、D\*\_" in md  # a pipe cannot split a table cell, emphasis marks stay characters


def test_plots_use_a_chinese_font(example_report: report.Report):
    font = plots.cjk_font()
    if font is None:
        if os.environ.get("CI"):
            pytest.fail("no CJK font installed (CI installs fonts-wqy-microhei)")
        pytest.skip("no CJK font installed")
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    with plots.chinese_text(), warnings.catch_warnings():
        warnings.simplefilter("error")  # a glyph missing from the font would warn
        pngs = report.render_pngs(example_report)
        path = font_manager.findfont(font_manager.FontProperties(family=font), fallback_to_default=False)
        assert ord("质") in FT2Font(path).get_charmap()
        for fig in example_report.figures.values():
            texts = [t for t in fig.findobj(lambda o: hasattr(o, "get_fontproperties") and hasattr(o, "get_text"))
                     if re.search(r"[\u4e00-\u9fff]", t.get_text())]
            assert texts
            assert {font_manager.findfont(t.get_fontproperties()) for t in texts} == {path}
    assert all(data.startswith(b"\x89PNG") for data in pngs.values()) and set(pngs) == {"workload", "network"}
    labels = [t.get_text() for t in example_report.figures["workload"].axes[0].get_yticklabels()]
    assert labels[-1] == "市质监局" and len(labels) == 15  # the heaviest on top; --top departments


def test_without_a_chinese_font_it_warns(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    built = report.build_report(tiny())
    with pytest.warns(plots.FontWarning, match="no font with Chinese glyphs"):
        pngs = report.render_pngs(built)
    assert set(pngs) == {"workload", "network"}


def test_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "out"
    assert main(["build", str(EXAMPLE), "-o", str(out), "--no-validate"]) == 0
    assert main(["report", str(out), "-o", str(tmp_path / "r.md"), "--threshold", "10"]) == 0
    assert "warning" not in capsys.readouterr().err or plots.cjk_font() is None
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "![部门工作量 Workload by department](r-workload.png)" in md and "2 tasks with 10 or more" in md
    assert (tmp_path / "r-workload.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "r-network.png").read_bytes().startswith(b"\x89PNG")
    assert main(["report", str(out), "-o", str(tmp_path / "r.html")]) == 0
    assert (tmp_path / "r.html").read_text(encoding="utf-8").count("data:image/png;base64,") == 2
    capsys.readouterr()
    assert main(["report", str(out), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("# 问责分析报告")
    for args, code, message in [
        (["-o", str(tmp_path / "r.pdf")], 64, "cannot tell the format"),
        (["-o", "-", "--format", "html"], 64, "give the HTML report a file"),
        (["-o", str(tmp_path / "r.md"), "--threshold", "0"], 64, "--threshold"),
        (["-o", str(tmp_path / "missing" / "r.md")], 73, "does not exist"),
    ]:
        assert main(["report", str(out), *args]) == code, args
        assert message in capsys.readouterr().err
    with monkeypatch.context() as m:
        m.setattr(plots, "cjk_font", lambda: None)
        assert main(["report", str(out), "-o", str(tmp_path / "boxes.html")]) == 0
        assert "policykg: warning: no font with Chinese glyphs found" in capsys.readouterr().err
    empty = tmp_path / "empty.ttl"
    empty.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n", encoding="utf-8")
    assert main(["report", str(empty), "-o", str(tmp_path / "e.md")]) == 65
    assert "no policy document in this graph" in capsys.readouterr().err


def _demo_commands() -> list[list[str]]:
    """The build, report and table commands of the Makefile's demo target."""
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", text, re.M)
    assert recipe, "no demo target"
    return [shlex.split(line.strip())[1:] for line in recipe.group(1).splitlines()
            if line.strip().startswith(("$(BIN)/policykg build ", "$(BIN)/policykg report ",
                                        "$(BIN)/policykg table "))]


def test_the_demo_writes_the_report_and_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    commands = _demo_commands()
    assert any(c[0] == "table" for c in commands) and any(c[0] == "report" for c in commands)
    for args in commands:
        filled = [a.replace("$(EXAMPLE)", str(EXAMPLE)).replace("$(OUT)", str(out)) for a in args]
        assert main(filled) == 0, filled
    capsys.readouterr()
    for name in ("report.md", "report.html", "tasks.xlsx", "report-workload.png", "report-network.png"):
        assert (out / name).is_file(), name
    assert "Leads the most tasks: 市质监局" in (out / "report.md").read_text(encoding="utf-8")
    assert "Leads the most tasks: 市质监局" in (out / "report.html").read_text(encoding="utf-8")
    ws = load_workbook(out / "tasks.xlsx")["任务分解表"]
    assert ws.max_row == 15 and (ws["D1"].value, ws["D2"].value) == ("牵头单位", "市质监局")
