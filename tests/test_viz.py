"""The HTML page of the graph, without a browser: self-contained, deterministic, faithful to the graph, inert text.

tests/test_browser.py opens the same pages in Chromium.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from policykg.cli import main
from policykg.viz import html as viz
from policykg.viz.describe import Ownership
from policykg.viz.layout import layout
from tests.conftest import DATA, REPO
from tests.test_graph_sample import EXAMPLE

VIZ = DATA / "viz"
DOC = "https://w3id.org/policykg/id/doc/T1"
TASK1, TASK2 = f"{DOC}/section/二/1", f"{DOC}/section/二/2"
ORG = "https://w3id.org/policykg/id/org/测试市"
MARKET, FINANCE, POLICE = (ORG + n for n in ("市场监督管理局", "财政局", "公安局"))
I01, I02, I03 = (f"{DOC}/indicator/I0{n}" for n in (1, 2, 3))
HOSTILE_TITLE = '建设<script>window.pwned=1</script>平台<img src=x onerror="window.pwned=2">'


def small_graph() -> nx.MultiDiGraph:
    """tests/data/viz/small.json: a hand-made graph that follows the projection's contract."""
    data = json.loads((VIZ / "small.json").read_text(encoding="utf-8"))
    g = nx.MultiDiGraph()
    for node in data["nodes"]:
        g.add_node(node["id"], iri=node["id"], **{k: v for k, v in node.items() if k != "id"})
    for u, v, kind in data["edges"]:
        g.add_edge(u, v, key=kind, kind=kind)
    return g


def hostile_graph() -> nx.MultiDiGraph:
    """The small graph with markup in a task title, a department name, a quote and the document title."""
    g = small_graph()
    g.nodes[TASK1].update(title=HOSTILE_TITLE, label="二/1 " + HOSTILE_TITLE,
                          quote="1．" + HOSTILE_TITLE + "。</script><script>window.pwned=3</script>")
    g.nodes[POLICE]["label"] = "<b onmouseover=window.pwned=4>市公安局</b>"
    g.nodes[DOC]["title"] = "</title><script>window.pwned=5</script>"
    return g


def page_data(page: str) -> dict:
    found = re.search(r'<script id="pkg-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page carries its data in one JSON script element"
    return json.loads(found.group(1))


class Elements(HTMLParser):
    """Every element the browser will create from the page's markup (script and style contents are not markup)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def named(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def scripts(page: str) -> list[dict[str, str | None]]:
    return Elements(page).named("script")


def markup(page: str) -> list[tuple[str, tuple[str, ...]]]:
    """The page's elements and their attribute names; no element of a page may have an event handler."""
    elements = Elements(page).tags
    assert not [(t, a) for t, attrs in elements for a in attrs if a.startswith("on")]
    return sorted({(t, tuple(sorted(attrs))) for t, attrs in elements})


def build_example(out: Path) -> Path:
    """`policykg build` then `policykg html` on the bundled example; returns the page."""
    assert main(["build", str(EXAMPLE), "-o", str(out), "--formats", "nq", "--no-validate"]) == 0
    assert main(["html", str(out), "-o", str(out / "graph.html")]) == 0
    return out / "graph.html"


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example(tmp_path_factory.mktemp("viz") / "out")


# -- self-contained -----------------------------------------------------------------------------------------------

FETCHING = {"link", "img", "iframe", "object", "embed", "source", "video", "audio", "image", "use", "frame"}
URL_ATTRS = {"src", "href", "xlink:href", "srcset", "poster", "action", "data", "background", "formaction"}
CSS_FETCH = [r"@import", r"@font-face", r"url\(\s*[\"']?\s*(?!data:)[^)\s]", r"https?://"]


def external_references(page: str) -> list[str]:
    """What in the page could make the browser fetch something: elements, URL attributes, CSS imports/urls."""
    found = []
    for tag, attrs in Elements(page).tags:
        if tag in FETCHING:
            found.append(f"<{tag}>")
        found += [f"<{tag} {a}={v}>" for a, v in attrs.items() if a in URL_ATTRS]
    for css in re.findall(r"<style\b[^>]*>(.*?)</style>", page, re.S | re.I):
        found += [p for p in CSS_FETCH if re.search(p, css, re.I)]
    found += re.findall(r"cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|bootstrap(?:\.bundle)?\.min", page)
    return found


def test_the_page_has_no_external_reference(example_page: Path):
    page = example_page.read_text(encoding="utf-8")
    assert external_references(page) == []
    assert "vis.Network" in page  # vis-network is inlined
    assert [s for s in scripts(page) if s != {}] == [{"id": "pkg-data", "type": "application/json"}]
    assert len(scripts(page)) == 3  # data, vis-network, the page's own script: nothing else
    assert "default-src 'none'" in page  # and the browser is told to fetch nothing


def test_the_external_reference_check_can_fail():
    pyvis_page = viz.Network(cdn_resources="in_line").generate_html()  # pyvis's own template
    assert "<link>" in external_references(pyvis_page)  # its bootstrap CDN tags are caught
    assert any("src=https://cdn.jsdelivr.net" in f for f in external_references(pyvis_page))
    assert external_references("<style>@font-face { src: url(fonts/x.woff) }</style>") == [
        r"@font-face", r"url\(\s*[\"']?\s*(?!data:)[^)\s]"]


def test_the_page_declares_a_cjk_font_stack(example_page: Path):
    page = example_page.read_text(encoding="utf-8")
    stack = "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif"
    assert f"--font: {stack};" in page  # the page's CSS
    assert page_data(page)["options"]["nodes"]["font"]["face"] == stack  # the canvas labels


# -- faithful to the graph ----------------------------------------------------------------------------------------


def test_every_node_and_edge_is_in_the_page():
    g = small_graph()
    data = page_data(viz.render_html(g))
    assert [n["id"] for n in data["nodes"]] == list(g.nodes)
    assert sorted((e["from"], e["to"], e["kind"]) for e in data["edges"]) == sorted(g.edges(keys=True))
    assert len({e["id"] for e in data["edges"]}) == g.number_of_edges()


def test_groups_set_the_audit_apart():
    nodes = {n["id"]: n for n in page_data(viz.render_html(small_graph()))["nodes"]}
    assert nodes[I01]["group"] == "unassigned" and nodes[I01]["shape"] == "triangle"
    assert nodes[I02]["group"] == nodes[I03]["group"] == "indicator"
    assert nodes[MARKET]["group"] == "department" and nodes[TASK1]["group"] == "task"
    assert {n["id"] for n in nodes.values() if n["audit"]} == {I01, f"{DOC}/section/一", DOC}


def test_departments_answer_for_their_tasks_and_targets():
    nodes = {n["id"]: n for n in page_data(viz.render_html(small_graph()))["nodes"]}
    assert nodes[TASK1]["depts"] == [MARKET, FINANCE]  # lead first, then co
    assert nodes[TASK2]["depts"] == [POLICE, MARKET]
    assert nodes[I03]["depts"] == [MARKET, FINANCE]  # stated in task 二/1
    assert nodes[I02]["depts"] == [MARKET, FINANCE]  # the same target as I03
    assert nodes[I01]["depts"] == []  # nobody
    assert Ownership(small_graph()).indicator_tasks(I02) == [TASK1]


def test_the_panel_gives_owners_targets_and_the_quote_with_its_place():
    nodes = {n["id"]: n for n in page_data(viz.render_html(small_graph()))["nodes"]}
    task = nodes[TASK1]["panel"]
    rows = dict((k, v) for k, v in task["rows"] + task["more"])
    assert task["heading"] == "建设服务平台"
    assert rows["牵头 lead"] == ["测试市市场监督管理局"] and rows["配合 co"] == ["测试市财政局"]
    assert rows["期限 deadline"] == "到2025年"
    assert rows["指标 targets"] == ["I03 ≥3个 (2025) 建成服务平台"]
    assert [k for k, _ in task["more"]] == ["指标 targets", "IRI"]  # the long lists come after the quote
    assert task["quote"] == small_graph().nodes[TASK1]["quote"]
    assert task["where"] == "测府办〔2024〕1号 · 二/1 · 字符 chars 60–101"
    unowned = dict((k, v) for k, v in nodes[I01]["panel"]["rows"])
    assert unowned["负责 owners"] == "无 nobody (unassigned)" and unowned["目标值 target"] == "10家 (2025)"
    assert nodes[I01]["panel"]["quote"] == "培育示范企业10家"
    assert nodes[I01]["panel"]["where"] == "测府办〔2024〕1号 · 一 · 字符 chars 33–41"
    dept = dict((k, v) for k, v in nodes[MARKET]["panel"]["rows"])
    assert dept["牵头 leads"] == ["二/1 建设服务平台"] and dept["配合 co-operates"] == ["二/2 打击违法行为"]
    assert "牵头 lead: 测试市市场监督管理局" in nodes[TASK1]["panel"]["tip"]


def test_search_text_is_names_not_quotes():
    nodes = {n["id"]: n for n in page_data(viz.render_html(small_graph()))["nodes"]}
    assert "建设服务平台" in nodes[TASK1]["search"] and "二/1" in nodes[TASK1]["search"]
    assert "责任单位" not in nodes[TASK1]["search"]
    assert "市市场监管局" in nodes[MARKET]["search"] and "测试市市场监督管理局" in nodes[MARKET]["search"]


def test_an_empty_graph_is_an_empty_page():
    page = viz.render_html(nx.MultiDiGraph())
    assert page_data(page)["nodes"] == [] and page_data(page)["edges"] == []
    assert "<h1 id=\"heading\">0 份文件 documents</h1>" in page


# -- deterministic ------------------------------------------------------------------------------------------------


def test_the_same_graph_gives_the_same_bytes():
    first = viz.render_html(small_graph())
    assert viz.render_html(small_graph()) == first
    ours = first.replace(viz._vis_js(), "")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", ours)  # no uuid (pyvis's random ids)
    assert not re.search(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d", ours)  # no timestamp


def test_the_example_page_is_byte_identical_in_another_process(example_page: Path, tmp_path: Path):
    proc = subprocess.run([sys.executable, "-m", "policykg", "html", str(example_page.parent), "-o",
                           str(tmp_path / "graph.html")], capture_output=True, cwd=REPO, timeout=300,
                          env={**os.environ, "PYTHONHASHSEED": "4321"})
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "graph.html").read_bytes() == example_page.read_bytes()


# -- text is text -------------------------------------------------------------------------------------------------


def test_document_text_never_becomes_markup():
    page = viz.render_html(hostile_graph())
    assert markup(page) == markup(viz.render_html(small_graph()))  # the same elements as a harmless graph
    for fragment in ("<script>window", "<img", "<b onmouseover", "</title><script>"):
        assert fragment not in page, fragment
    assert "&lt;/title&gt;&lt;script&gt;window.pwned=5" in page  # the heading, escaped
    data = page_data(page)  # the JSON still holds the text exactly
    task = next(n for n in data["nodes"] if n["id"] == TASK1)
    assert task["name"] == HOSTILE_TITLE and "</script><script>window.pwned=3" in task["panel"]["quote"]


def test_a_hostile_document_end_to_end(tmp_path: Path):
    out = tmp_path / "out"
    assert main(["build", str(VIZ / "hostile.txt"), "-o", str(out), "--formats", "nq", "--no-validate"]) == 0
    assert main(["html", str(out), "-o", str(out / "graph.html")]) == 0
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert markup(page) == markup(viz.render_html(small_graph()))
    assert "<img" not in page and "<svg onload" not in page and "<script>window" not in page
    titles = {n["name"] for n in page_data(page)["nodes"] if n["kind"] == "task"}
    assert "完善<script>window.pwned=2</script>标准体系" in titles
    assert '强化<img src=x onerror="window.pwned=3">计量支撑' in titles


# -- large graphs -------------------------------------------------------------------------------------------------


def corpus_graph(copies: int) -> nx.MultiDiGraph:
    """Many documents sharing their departments, as a corpus view would hold them."""
    base = small_graph()
    g = nx.MultiDiGraph()
    for n in range(copies):
        rename = {v: v.replace("/doc/T1", f"/doc/T{n}") for v in base}
        g.update(nx.relabel_nodes(base, rename))
    return g


def test_a_large_graph_is_laid_out_before_the_browser_sees_it():
    g = corpus_graph(40)
    assert g.number_of_nodes() > viz.BIG
    place = layout(g)
    assert set(place) == set(g.nodes)
    assert len(set(place.values())) == len(place)  # no two nodes on one spot
    data = page_data(viz.render_html(g))
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["physics"]["stabilization"]["iterations"] <= 50
    assert data["options"]["layout"]["improvedLayout"] is False
    assert "x" not in page_data(viz.render_html(small_graph()))["nodes"][0]  # a small one settles by physics


# -- the command --------------------------------------------------------------------------------------------------


def test_html_command_reports_what_it_wrote(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "out"
    assert main(["build", str(EXAMPLE), "-o", str(out), "--formats", "ttl", "--no-validate"]) == 0
    capsys.readouterr()
    assert main(["html", str(out / "graph.ttl"), "-o", str(tmp_path / "g.html"), "--title", "示例 <x>"]) == 0
    err = capsys.readouterr().err
    assert re.fullmatch(rf"policykg: wrote {tmp_path}/g.html \(\d+ nodes, \d+ edges, 28 targets nobody owns\)\n", err)
    assert "<h1 id=\"heading\">示例 &lt;x&gt;</h1>" in (tmp_path / "g.html").read_text(encoding="utf-8")


def test_html_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["html", str(tmp_path / "missing"), "-o", str(tmp_path / "g.html")]) == 65
    assert "no such file or directory" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["build", str(VIZ / "hostile.txt"), "-o", str(out), "--formats", "nq", "--no-validate"]) == 0
    assert main(["html", str(out), "-o", str(tmp_path / "no" / "g.html")]) == 73
    assert not (tmp_path / "g.html").exists()
