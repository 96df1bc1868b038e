"""The NetworkX projection of the RDF graph (graph/projection.py): its contract on a hand-made document, on the
bundled example and on a corpus, whatever rdflib object holds the graph."""

from __future__ import annotations

import functools
import json
from collections import Counter

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef

from policykg.graph import iris, queries
from policykg.graph.build import build_documents, build_graph, document_iri
from policykg.graph.projection import EDGE_KINDS, NODE_KINDS, nodes_of_kind, project
from policykg.graph.serialize import serialize
from policykg.graph.store import store_of
from tests.test_graph_sample import TEXT, example_extraction, example_graph, sample_extraction, span


@functools.cache
def example_store() -> Graph:
    return store_of(example_graph())


@functools.cache
def example_projection() -> nx.MultiDiGraph:
    """The bundled example, projected once per test session (do not modify it)."""
    return project(example_store())


@functools.cache
def sample_projection() -> nx.MultiDiGraph:
    return project(store_of(build_graph(sample_extraction())))


def by_path(G: nx.MultiDiGraph, path: str) -> str:
    return next(n for n, p in G.nodes(data="path") if p == path)


def by_id(G: nx.MultiDiGraph, ident: str) -> str:
    return next(n for n, i in G.nodes(data="indicator_id") if i == ident)


def by_name(G: nx.MultiDiGraph, name: str) -> str:
    return next(n for n, d in G.nodes(data=True) if d["kind"] == "department" and name in (d["label"],
                                                                                          d["pref_label"]))


def edges(G: nx.MultiDiGraph, kind: str) -> set[tuple[str, str]]:
    return {(u, v) for u, v, k in G.edges(keys=True) if k == kind}


def test_sample_nodes_and_attributes():
    G = sample_projection()
    ex = sample_extraction()
    doc = document_iri(ex)
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    # 7 sections: 2 tasks, 1 goal, 4 other headings; 3 departments (the issuer and the city government are not)
    assert kinds == {"document": 1, "section": 4, "goal": 1, "task": 2, "department": 3, "indicator": 7}
    assert set(kinds) <= set(NODE_KINDS)
    assert G.nodes[doc] | {} == {"kind": "document", "label": "苏府办〔2099〕1号", "iri": doc,
                                "title": "关于测试质量工作的意见", "doc_number": "苏府办〔2099〕1号",
                                "source": "sample.txt", "issued": "2099-01-02"}

    task = iris.section(doc, "二/（一）/1")
    t = G.nodes[task]
    start, end = ex.tasks[0].span
    assert (t["kind"], t["label"], t["path"], t["title"], t["section_kind"]) == (
        "task", "二/（一）/1 实施提优行动", "二/（一）/1", "实施提优行动", "task")
    assert (t["lead"], t["co"], t["deadline"]) == ("市质监局", ["市经信委", "苏州出入境检验检疫局"], None)
    assert t["responsibility_text"] == "（责任部门：市质监局、经信委，苏州出入境检验检疫局）"
    assert (t["start"], t["end"], t["quote"]) == (start, end, TEXT[start:end])
    assert (t["document"], t["iri"], t["order"]) == (doc, task, 4)
    bare = G.nodes[iris.section(doc, "二/（一）/2")]
    assert (bare["kind"], bare["lead"], bare["co"], bare["responsibility_text"]) == ("task", None, [], None)

    goal = G.nodes[iris.section(doc, "一/（一）")]
    assert (goal["kind"], goal["section_kind"], goal["quote"], goal["start"]) == ("goal", "goal", "质量水平提升", None)
    measure = G.nodes[iris.section(doc, "三")]
    assert (measure["kind"], measure["section_kind"], measure["label"]) == ("section", "measure", "三 保障措施")

    zj = G.nodes[by_name(G, "苏州市质量技术监督局")]
    assert (zj["label"], zj["alt_labels"], zj["collective"]) == ("市质监局", ["市质监局", "质监局"], False)
    ciq = G.nodes[by_name(G, "苏州出入境检验检疫局")]  # no canonical name: named within its city
    assert (ciq["pref_label"], ciq["alt_labels"]) == ("苏州出入境检验检疫局", [])


def test_sample_indicators():
    G = sample_projection()
    doc = document_iri(sample_extraction())
    i01 = G.nodes[iris.indicator(doc, "I01")]
    assert {k: i01[k] for k in ("label", "indicator_id", "subject", "value", "value_max", "unit", "comparator",
                                "year", "per_year", "cumulative", "quantitative", "owner", "unassigned")} == {
        "label": "I01 示范企业总数", "indicator_id": "I01", "subject": "示范企业总数", "value": 80,
        "value_max": None, "unit": "家", "comparator": ">=", "year": 2020, "per_year": False, "cumulative": True,
        "quantitative": True, "owner": "一/（一）", "unassigned": False}
    assert (i01["start"], i01["end"]) == span(TEXT, "全市示范企业总数达到80家", TEXT.index("（一）质量水平提升"))
    assert i01["text"] == "全市示范企业总数达到80家"
    i07 = G.nodes[iris.indicator(doc, "I07")]
    assert (i07["value"], i07["value_max"], i07["unit"], i07["comparator"]) == (0.5, 1.5, "", "~")
    i06 = G.nodes[iris.indicator(doc, "I06")]  # qualitative: the statement, no unit, never unassigned
    assert (i06["quantitative"], i06["value"], i06["unit"], i06["text"], i06["unassigned"]) == (
        False, None, None, "建成质量强市", False)
    assert sorted(G.nodes[i]["indicator_id"] for i in nodes_of_kind(G, "indicator") if G.nodes[i]["unassigned"]) \
        == ["I02", "I03", "I05", "I07"]


def test_sample_edges():
    G = sample_projection()
    doc = document_iri(sample_extraction())
    s = functools.partial(iris.section, doc)
    i = functools.partial(iris.indicator, doc)
    assert {k for *_, k in G.edges(keys=True)} <= set(EDGE_KINDS)
    assert all(d["kind"] == k for *_, k, d in G.edges(keys=True, data=True))
    zj, jxw, ciq = (by_name(G, n) for n in ("市质监局", "市经信委", "苏州出入境检验检疫局"))
    assert edges(G, "lead") == {(s("二/（一）/1"), zj)}
    assert edges(G, "co") == {(s("二/（一）/1"), jxw), (s("二/（一）/1"), ciq)}
    assert G.edges[s("二/（一）/1"), jxw, "co"] == {"kind": "co", "written_as": "市经信委", "position": 1}
    assert G.edges[s("二/（一）/1"), zj, "lead"]["position"] == 0
    assert edges(G, "part_of") == {(s("一"), doc), (s("一/（一）"), s("一")), (s("二"), doc),
                                   (s("二/（一）"), s("二")), (s("二/（一）/1"), s("二/（一）")),
                                   (s("二/（一）/2"), s("二/（一）")), (s("三"), doc)}
    assert edges(G, "has_indicator") == {(s("一/（一）"), i(n)) for n in ("I01", "I02", "I03", "I06")} | {
        (s("二/（一）/1"), i("I04")), (s("二/（一）/2"), i("I05")), (s("二/（一）/2"), i("I07"))}
    assert edges(G, "same_as") == {(i("I01"), i("I04")), (i("I04"), i("I01"))}


def test_attributes_are_json_and_order_is_deterministic():
    G = example_projection()
    again = project(store_of(example_graph()))
    assert list(G.nodes(data=True)) == list(again.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(again.edges(keys=True, data=True))
    json.dumps([list(G.nodes(data=True)), list(G.edges(keys=True, data=True))], ensure_ascii=False)
    for _, d in G.nodes(data=True):
        assert {"kind", "label", "iri"} <= set(d)
        for v in d.values():
            assert v is None or isinstance(v, (str, int, float, bool)) or (
                isinstance(v, list) and all(isinstance(x, str) for x in v))
    kinds = [k for _, k in G.nodes(data="kind")]
    assert kinds[0] == "document" and kinds.index("department") > kinds.index("task")
    tasks = nodes_of_kind(G, "task")
    assert [G.nodes[t]["order"] for t in tasks] == sorted(G.nodes[t]["order"] for t in tasks)


@pytest.mark.parametrize("holder", ["graph", "dataset", "nquads-store"])
def test_any_rdflib_holder_projects_alike(holder: str, tmp_path):
    """A plain in-memory rdflib Graph, an rdflib Dataset with one named graph per document and a store loaded
    from N-Quads give the same projection as the Oxigraph store."""
    from policykg.graph.store import open_store

    ex = example_extraction()
    if holder == "graph":
        data: Graph = example_graph()
    elif holder == "dataset":
        data = Dataset()
        for name, g in build_documents([ex]).items():
            named = data.graph(URIRef(name))
            for t in g:
                named.add(t)
    else:
        (tmp_path / "graph.nq").write_bytes(serialize(build_documents([ex]), "nq"))
        data = open_store(str(tmp_path))
    G, expected = project(data), example_projection()
    assert list(G.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))


def test_example_projection_matches_the_extraction():
    G = example_projection()
    ex = example_extraction()
    assert Counter(k for _, k in G.nodes(data="kind")) == {
        "document": 1, "goal": 4, "task": 14, "section": 10, "department": 27, "indicator": 50}
    assert len(ex.tasks) == 14 and len(ex.indicators) == 50
    for t in ex.tasks:
        node = G.nodes[by_path(G, t.path)]
        assert (node["lead"], node["co"], node["deadline"], node["title"]) == (t.lead, t.co, t.deadline, t.title)
        assert (node["start"], node["end"], node["quote"]) == (*t.span, ex.text[t.span[0]:t.span[1]])
    for i in ex.indicators:
        node = G.nodes[by_id(G, i.id)]
        assert (node["value"], node["year"], node["owner"], node["text"]) == (i.value, i.year, i.owner, i.text)
        assert (node["start"], node["end"]) == i.span
    assert len(edges(G, "lead")) == 14 and len(edges(G, "co")) == 83 and len(edges(G, "same_as")) == 8


def test_unassigned_agrees_with_the_sparql_audit():
    """The projection's flag (the set form unassigned-ids.rq) and the audit query unassigned.rq agree."""
    for data in (example_store(), store_of(build_graph(sample_extraction()))):
        G = project(data)
        audit = {i["id"] for i in queries.unassigned(data)}
        flagged = {G.nodes[i]["indicator_id"] for i in nodes_of_kind(G, "indicator") if G.nodes[i]["unassigned"]}
        assert flagged == audit
        set_form = {r["indicator"] for r in queries.rows(queries.run(data, queries.query_text("unassigned-ids")))}
        assert set_form == {r["indicator"] for r in queries.rows(queries.run(data, queries.query_text("unassigned")))}
    assert len(audit) == 4 and len([i for i in nodes_of_kind(example_projection(), "indicator")
                                    if example_projection().nodes[i]["unassigned"]]) == 28


def test_shortcut_only_graph_still_projects():
    """A graph that states responsibility only by the shortcut properties (no qualified attribution) projects
    the same owners, named by their canonical names."""
    from policykg.graph.vocab import PROV

    g = Graph()
    for t in build_graph(sample_extraction()):
        if t[1] not in (PROV.qualifiedAttribution,):
            g.add(t)
    G = project(g)
    doc = document_iri(sample_extraction())
    task = G.nodes[iris.section(doc, "二/（一）/1")]
    assert task["lead"] == "市质监局"  # the label: its name as written, from its alt labels
    assert len(edges(G, "co")) == 2


def test_anything_with_query_projects_alike():
    """A remote endpoint's stand-in (graph/remote.py) offers only query(): the projection sends it the same
    SELECTs."""

    class QueryOnly:
        def __init__(self, g: Graph) -> None:
            self._g = g

        def query(self, text: str):
            return self._g.query(text)

    G = project(QueryOnly(example_store()))
    expected = example_projection()
    assert list(G.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
