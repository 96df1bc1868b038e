"""The corpus overview page (viz/overview.py): summaries of extraction JSON views, one node per document and
per department merged across documents, self-contained, deterministic and inert to what documents say."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jinja2.utils import htmlsafe_json_dumps

from policykg.extract import extract_file
from policykg.viz.overview import BIG, document_summary, overview_html
from tests.test_browser import browser, open_page  # noqa: F401 (fixtures)
from tests.test_graph_sample import EXAMPLE
from tests.test_viz import HOSTILE_TITLE, Elements, external_references, page_data, scripts

MARKET, FINANCE = "测试市市场监督管理局", "测试市财政局"


def extraction(number: str, title: str = "关于加强质量建设的意见", **document: Any) -> dict[str, Any]:
    """A small extraction JSON view (../shared/spec/extraction-json.md)."""
    return {
        "source": f"{number}.txt",
        "document": {"title": title, "issuer": "测试市人民政府", "doc_number": number, "published": None,
                     "signed": "2020-05-01", "recipients": [], **document},
        "sections": [],
        "tasks": [
            {"path": "二/1", "title": "任务一", "lead": "市市场监管局", "co": ["市财政局", "市财政局"]},
            {"path": "二/2", "title": "任务二", "lead": "市财政局", "co": []},
            {"path": "二/3", "title": "任务三", "lead": None, "co": ["市场监督管理局"]},
        ],
        "departments": [
            {"name": "市市场监管局", "canonical": MARKET, "aliases": ["市场监督管理局"], "mentioned_in": []},
            {"name": "市财政局", "canonical": FINANCE, "aliases": [], "mentioned_in": []},
        ],
        "indicators": [{"id": "I01"}, {"id": "I02"}, {"id": "I03"}],
        "audit": {"unassigned_indicators": ["I02", "I03"]},
    }


def test_a_summary_counts_tasks_targets_and_each_departments_roles():
    s = document_summary(extraction("测府发〔2020〕1号"))
    assert s == {
        "source": "测府发〔2020〕1号.txt", "title": "关于加强质量建设的意见", "doc_number": "测府发〔2020〕1号",
        "issuer": "测试市人民政府", "date": "2020-05-01",  # no publication date: the signature's
        "counts": {"tasks": 3, "tasks_with_lead": 2, "indicators": 3, "unassigned": 2, "departments": 2},
        # canonical names, aliases resolved; a department named twice in one task counts once
        "departments": {MARKET: {"lead": 1, "co": 1}, FINANCE: {"lead": 1, "co": 1}},
    }
    json.dumps(s)  # JSON-ready


def test_collective_units_are_one_node_per_place_as_in_the_graph():
    def with_collective(number: str, issuer: str) -> dict[str, Any]:
        ex = extraction(number, issuer=issuer)
        ex["tasks"][2]["co"] = ["各区人民政府"]
        ex["departments"].append({"name": "各区人民政府", "canonical": None, "aliases": [], "mentioned_in": [],
                                  "collective": True})
        return ex

    a = document_summary(with_collective("测府发〔2020〕1号", "测试市人民政府"))
    b = document_summary(with_collective("测府发〔2020〕2号", "测试市人民政府办公室"))
    c = document_summary(with_collective("例府发〔2020〕1号", "示例市人民政府"))
    assert "各区人民政府（测试市）" in a["departments"] and "各区人民政府（测试市）" in b["departments"]
    assert "各区人民政府（示例市）" in c["departments"]
    page = page_data(overview_html([a, b, c]))
    shared = [d for d in page["depts"] if d["name"].startswith("各区人民政府")]
    assert sorted((d["name"], d["docs"]) for d in shared) == [
        ("各区人民政府（测试市）", 2), ("各区人民政府（示例市）", 1)]


def test_a_summary_of_a_real_extraction():
    view = extract_file(str(EXAMPLE)).to_json()
    s = document_summary(view)
    assert s["doc_number"] == view["document"]["doc_number"] and s["title"] == view["document"]["title"]
    assert s["counts"]["tasks"] == len(view["tasks"]) > 0
    assert s["counts"]["unassigned"] == len(view["audit"]["unassigned_indicators"])
    assert sum(r["lead"] for r in s["departments"].values()) == sum(1 for t in view["tasks"] if t.get("lead"))
    canon = {d["canonical"] or d["name"] for d in view["departments"]}
    assert set(s["departments"]) <= canon


def test_a_department_is_merged_across_documents():
    one, two = extraction("测府发〔2020〕1号"), extraction("测府发〔2020〕2号", title="第二份文件")
    two["tasks"] = [{"path": "一/1", "title": "x", "lead": "市财政局", "co": []}]
    page = overview_html([document_summary(one), document_summary(two)])
    data = page_data(page)
    assert [d["doc_number"] for d in data["docs"]] == ["测府发〔2020〕1号", "测府发〔2020〕2号"]
    depts = {d["name"]: d for d in data["depts"]}
    assert set(depts) == {MARKET, FINANCE}  # one node each, not one per document
    finance = depts[FINANCE]
    assert (finance["lead"], finance["co"], finance["docs"]) == (2, 1, 2)
    assert (depts[MARKET]["lead"], depts[MARKET]["co"], depts[MARKET]["docs"]) == (1, 1, 1)
    edges = {(u, v, kind): n for u, v, kind, n in data["edges"]}
    d1, d2 = (d["id"] for d in data["docs"])
    f = finance["id"]
    assert edges == {(d1, f, "lead"): 1, (d1, f, "co"): 1, (d2, f, "lead"): 1,
                     (d1, depts[MARKET]["id"], "lead"): 1, (d1, depts[MARKET]["id"], "co"): 1}
    assert data["totals"] == {"documents": 2, "departments": 2, "tasks": 4, "tasks_with_lead": 3,
                              "indicators": 6, "unassigned": 4}
    assert data["edgeStyles"]["co"]["dashes"] and "dashes" not in data["edgeStyles"]["lead"]
    assert data["options"]["physics"]["enabled"] is True  # small: the browser lays it out


def test_the_same_summaries_give_the_same_bytes():
    views = [extraction(f"测府发〔2020〕{i}号") for i in range(1, 4)]
    first = overview_html([document_summary(v) for v in views], title="测试")
    again = overview_html([document_summary(copy.deepcopy(v)) for v in views], title="测试")
    assert first == again
    raw = re.search(r'<script id="pkg-data" type="application/json">(.*?)</script>', first, re.S).group(1)
    assert raw == htmlsafe_json_dumps(page_data(first), dumps=json.dumps, sort_keys=True, ensure_ascii=False,
                                      separators=(",", ":"))  # keys sorted
    assert overview_html([document_summary(v) for v in views[::-1]], title="测试") != first  # order is kept


def test_the_page_is_self_contained(tmp_path: Path):
    page = overview_html([document_summary(extraction("测府发〔2020〕1号"))])
    assert external_references(page) == []
    assert "vis.Network" in page and "default-src 'none'" in page
    assert [s for s in scripts(page) if s != {}] == [{"id": "pkg-data", "type": "application/json"}]
    assert len(scripts(page)) == 3
    vis_js = re.findall(r"<script>(.*?)</script>", page, re.S)[0]
    assert "vis.Network" in vis_js or "Network" in vis_js
    assert not re.search(r"https?://", page.replace(vis_js, ""))  # no URL but in vis-network's own code


def test_hostile_text_is_only_data():
    hostile = HOSTILE_TITLE + '</script><img src=x onerror="window.pwned=9">'
    view = extraction("测府发〔2020〕1号", title=hostile, issuer="<b onmouseover=alert(1)>局</b>")
    view["departments"][0]["canonical"] = "</script><script>window.pwned=7</script>"
    page = overview_html([document_summary(view)], title="</title><script>window.pwned=5</script>")
    assert "&lt;/title&gt;&lt;script&gt;window.pwned=5" in page  # the heading, escaped
    assert "<img" not in page and "</script><script>window.pwned" not in page and "onerror=\"" not in page
    tags = Elements(page).tags
    assert not [t for t, _ in tags if t in ("img", "b")]
    assert not [(t, a) for t, attrs in tags for a in attrs if a.startswith("on")]
    data = page_data(page)  # the JSON still holds the text exactly
    assert data["docs"][0]["title"] == hostile
    assert "</script><script>window.pwned=7</script>" in {d["name"] for d in data["depts"]}


def test_a_thousand_documents_give_a_small_page_with_fixed_positions():
    cities = ["甲市", "乙市", "丙市", "丁市"]
    summaries = []
    for i in range(1000):
        city = cities[i % 4]
        summaries.append({
            "source": f"gen-{i:05d}.txt", "title": f"{city}关于第{i}项工作的通知",
            "doc_number": f"{city}发〔2020〕{i}号",
            "issuer": f"{city}人民政府", "date": "2020-01-01",
            "counts": {"tasks": 15, "tasks_with_lead": 15, "indicators": 9, "unassigned": 3, "departments": 17},
            "departments": {f"{city}第{(i + k) % 60}局": {"lead": k % 3, "co": 1 + k % 2} for k in range(17)},
        })
    page = overview_html(summaries)
    data = page_data(page)
    assert len(data["docs"]) == 1000 and len(data["depts"]) == 240 and len(data["docs"]) + 240 > BIG
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["docs"] + data["depts"])
    assert len({(n["x"], n["y"]) for n in data["docs"]}) == 1000  # no two documents on one spot
    assert len(page.encode("utf-8")) < 10 * 2**20
    assert overview_html(summaries) == page


@pytest.fixture
def corpus_page(tmp_path: Path) -> Path:
    one = extraction("测府发〔2020〕1号", title=HOSTILE_TITLE)
    two = extraction("测府发〔2020〕2号", title="第二份文件")
    two["tasks"] = [{"path": "一/1", "title": "x", "lead": "市财政局", "co": []}]
    path = tmp_path / "overview.html"
    path.write_text(overview_html([document_summary(one), document_summary(two)]), encoding="utf-8")
    return path


def test_the_page_in_a_browser(corpus_page: Path, open_page):  # noqa: F811
    opened = open_page(corpus_page)
    assert opened.errors == []
    assert opened.requests == [corpus_page.as_uri()]
    assert opened.js("network.body.data.nodes.length") == 4
    assert opened.js("network.body.data.edges.length") == 5
    assert opened.js("window.pwned") is None
    data = page_data(corpus_page.read_text(encoding="utf-8"))
    finance = next(d["id"] for d in data["depts"] if d["name"] == FINANCE)
    opened.js("id => pkgView.focus(id)", finance)
    assert opened.js("pkgView.selected") == finance
    details = opened.js("document.getElementById('details').textContent")
    assert FINANCE in details and "测府发〔2020〕1号" in details and "测府发〔2020〕2号" in details
    assert HOSTILE_TITLE in details  # as text
    assert opened.js("document.querySelectorAll('#details img, #details script').length") == 0
    opened.page.fill("#search", "第二份")
    assert opened.js("pkgView.matches") == [data["docs"][1]["id"]]
    rows = opened.js("[...document.querySelectorAll('#depts tbody tr')].map(r => r.cells[0].textContent)")
    assert rows == [FINANCE, MARKET]  # most tasks first
