"""The graph page in a real browser: Debian's chromium, driven by Playwright for Python.

Playwright never downloads a browser here (no `playwright install`): it launches /usr/bin/chromium. Without
chromium or the playwright package these tests skip, except when CI is set: there they fail, so CI cannot pass
without running them. `POLICYKG_SCREENSHOT=1 pytest tests/test_browser.py` also refreshes docs/screenshot.png,
the README's picture.
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from policykg.graph.projection import project
from policykg.graph.store import open_store
from policykg.viz.html import render_html
from tests.conftest import REPO
from tests.test_viz import HOSTILE_TITLE, VIZ, build_example, hostile_graph

CHROMIUM = os.environ.get("POLICYKG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 850}
README_SCREENSHOT = REPO / "docs" / "screenshot.png"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing (pip install -e '.[test]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, nx.MultiDiGraph]:
    """The example's page, written by `policykg html`, and the graph it was made from."""
    page = build_example(tmp_path_factory.mktemp("browser") / "out")
    return page, project(open_store(str(page.parent)))


@dataclass
class Opened:
    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Any] = []

    def load(path: Path) -> Opened:
        page = browser.new_page(viewport=VIEWPORT)
        pages.append(page)
        opened = Opened(page)
        page.on("console", lambda m: opened.errors.append(f"{m.type}: {m.text}") if m.type in (
            "error", "warning", "assert") else None)
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.goto(path.as_uri())
        # (wait_for_function would evaluate a string, which the page's Content-Security-Policy forbids)
        page.wait_for_selector("body[data-ready]", state="attached", timeout=30_000)
        return opened

    yield load
    for page in pages:
        page.close()


def click_node(opened: Opened, node: str) -> None:
    """A real mouse click on the node where the page drew it."""
    x, y = opened.js("""id => {
        const at = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById('network').getBoundingClientRect();
        return [box.left + at.x, box.top + at.y];
    }""", node)
    under = opened.js("([x, y]) => { const b = document.getElementById('network').getBoundingClientRect();"
                      " return network.getNodeAt({x: x - b.left, y: y - b.top}); }", [x, y])
    assert under == node, "another node is drawn over this one"
    opened.page.mouse.click(x, y)


def visible(opened: Opened) -> set[str]:
    return set(opened.js("network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)"))


def of_kind(g: nx.MultiDiGraph, kind: str) -> set[str]:
    return {n for n, k in g.nodes(data="kind") if k == kind}


def test_the_page_loads_offline_without_errors(example, open_page):
    path, _ = example
    opened = open_page(path)
    assert opened.errors == []
    assert opened.requests == [path.as_uri()]  # nothing but the file itself
    assert opened.js("document.fonts.check('14px \"WenQuanYi Micro Hei\"')")  # a CJK font renders the labels


def test_the_page_holds_every_node_and_edge(example, open_page):
    path, g = example
    opened = open_page(path)
    assert opened.js("network.body.data.nodes.length") == g.number_of_nodes()
    assert opened.js("network.body.data.edges.length") == g.number_of_edges()
    assert set(opened.js("network.body.data.nodes.getIds()")) == set(g.nodes)
    assert opened.js("Object.keys(network.body.nodes).length") == g.number_of_nodes()  # and all are drawn
    assert opened.js("network.physics.options.enabled") is False  # frozen once settled


def test_clicking_a_department_highlights_exactly_its_tasks(example, open_page):
    path, g = example
    opened = open_page(path)
    owners = {d: {t for t, _, k in g.in_edges(d, keys=True) if k in ("lead", "co")} for d in of_kind(g, "department")}
    tasks = of_kind(g, "task")
    dept = max(sorted(d for d in owners if owners[d] != tasks), key=lambda d: len(owners[d]))  # some, not all
    click_node(opened, dept)
    assert opened.js("pkgView.selected") == dept
    lit = set(opened.js("pkgView.highlight"))
    assert lit & tasks == owners[dept] and len(owners[dept]) >= 5
    stated = {i for t in owners[dept] for _, i, k in g.out_edges(t, keys=True) if k == "has_indicator"}
    same = {j for i in stated for _, j, k in g.out_edges(i, keys=True) if k == "same_as"}
    assert lit & of_kind(g, "indicator") == stated | same
    assert lit & of_kind(g, "department") == {dept}
    other = next(iter(tasks - owners[dept]))
    assert opened.js("id => network.body.data.nodes.get(id).opacity", other) < 0.5  # the rest fades
    assert opened.page.text_content("#details h2") == g.nodes[dept]["pref_label"]
    opened.page.mouse.click(5, 5)  # empty canvas: everything back
    assert opened.js("pkgView.highlight") == [] and opened.js("pkgView.selected") is None


def test_search_finds_a_task_by_a_chinese_fragment(example, open_page):
    path, g = example
    opened = open_page(path)
    task = next(n for n, a in g.nodes(data=True) if a["kind"] == "task" and a["title"] == "实施质量管理提优行动")
    opened.page.fill("#search", "质量管理提优")
    assert opened.js("pkgView.matches") == [task]
    button = opened.page.locator("#results button").first
    assert "实施质量管理提优行动" in button.text_content()
    button.click()
    assert opened.js("pkgView.selected") == task
    assert opened.page.text_content("#details h2") == "实施质量管理提优行动"
    assert g.nodes[task]["quote"] in opened.page.text_content("#details blockquote")
    opened.page.fill("#search", "三/(一)/1")  # a path, in half-width brackets
    assert task in opened.js("pkgView.matches")
    opened.page.fill("#search", "没有这个任务")
    assert opened.js("pkgView.matches") == [] and "no match" in opened.page.text_content("#results")


def test_filters_by_type_department_and_audit(example, open_page):
    path, g = example
    opened = open_page(path)
    opened.page.uncheck("#kinds input[data-group=task]")
    assert visible(opened) == set(g.nodes) - of_kind(g, "task")
    opened.page.check("#kinds input[data-group=task]")
    assert visible(opened) == set(g.nodes)
    unassigned = {n for n, u in g.nodes(data="unassigned") if u}
    opened.page.check("#audit")
    shown = visible(opened)
    assert unassigned <= shown and len(unassigned) == 28
    assert shown & of_kind(g, "indicator") == unassigned and not shown & of_kind(g, "department")
    opened.page.uncheck("#audit")
    dept = next(d for d, a in g.nodes(data=True) if a["kind"] == "department" and a["label"] == "市科技局")
    opened.page.select_option("#department", dept)
    tasks = {t for t, _, k in g.in_edges(dept, keys=True) if k in ("lead", "co")}
    assert visible(opened) & of_kind(g, "task") == tasks and dept in visible(opened)
    assert opened.errors == []


def test_an_empty_graph_loads(open_page, tmp_path: Path):
    path = tmp_path / "empty.html"
    path.write_text(render_html(nx.MultiDiGraph()), encoding="utf-8")
    opened = open_page(path)
    assert opened.js("network.body.data.nodes.length") == 0 and opened.errors == []
    opened.page.fill("#search", "任务")
    assert opened.js("pkgView.matches") == []


def hostile_pages(tmp: Path) -> list[tuple[Path, str]]:
    """The hand-made hostile graph, and a hostile document through build and html."""
    made = tmp / "made.html"
    made.write_text(render_html(hostile_graph()), encoding="utf-8")
    out = tmp / "out"
    from policykg.cli import main

    assert main(["build", str(VIZ / "hostile.txt"), "-o", str(out), "--formats", "nq", "--no-validate"]) == 0
    assert main(["html", str(out), "-o", str(out / "graph.html")]) == 0
    return [(made, HOSTILE_TITLE), (out / "graph.html", '强化<img src=x onerror="window.pwned=3">计量支撑')]


def test_document_markup_renders_as_text(open_page, tmp_path: Path):
    for path, title in hostile_pages(tmp_path):
        opened = open_page(path)
        opened.page.fill("#search", "pwned")
        buttons = opened.page.locator("#results button")
        assert buttons.count() >= 2
        for n in range(buttons.count()):
            buttons.nth(n).click()  # every panel is shown once
        opened.page.fill("#search", title[:4])
        opened.page.locator("#results button").first.click()
        assert opened.page.text_content("#details h2") == title
        opened.page.wait_for_timeout(400)  # the view glides to the node
        x, y = opened.js("""id => { const at = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.getElementById('network').getBoundingClientRect();
            return [box.left + at.x, box.top + at.y]; }""", opened.js("pkgView.selected"))
        opened.page.mouse.move(x, y, steps=3)  # the tooltip
        opened.page.wait_for_selector("#tip:not([hidden])")
        assert title in opened.page.text_content("#tip")
        assert opened.js("window.pwned") is None
        assert opened.js("document.querySelectorAll('img, iframe, b, [onerror], [onload], [onmouseover]').length") == 0
        assert opened.js("document.scripts.length") == 3
        assert "<script>" in opened.page.text_content("h1") or "<b>" in opened.page.text_content("h1")
        assert opened.errors == [] and len(opened.requests) == 1


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_screenshot_for_the_readme(example, open_page, tmp_path: Path):
    path, g = example
    opened = open_page(path)
    task = next(n for n, a in g.nodes(data=True) if a["kind"] == "task" and a["title"] == "实施质量管理提优行动")
    click_node(opened, task)
    opened.page.mouse.move(VIEWPORT["width"] - 200, VIEWPORT["height"] - 10)  # no tooltip in the picture
    shot = tmp_path / "screenshot.png"
    opened.page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert png_size(data) == (VIEWPORT["width"], VIEWPORT["height"]) and len(data) > 50_000
    if os.environ.get("POLICYKG_SCREENSHOT"):
        README_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, README_SCREENSHOT)
