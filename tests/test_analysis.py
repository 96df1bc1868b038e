"""The analyses (graph/ownership.py, graph/network.py, graph/risks.py) on graphs built by hand, with the numbers
worked out by hand, and on the bundled example."""

from __future__ import annotations

import networkx as nx
import pytest

from policykg.graph import network, ownership, risks
from policykg.graph.projection import nodes_of_kind
from tests.test_projection import by_id, by_name, by_path, example_projection

# -- a hand-made projection ----------------------------------------------------------------------------------


def add_document(G: nx.MultiDiGraph, iri: str) -> None:
    G.add_node(iri, kind="document", label=iri, iri=iri, title=iri, doc_number=iri)


def add_section(G: nx.MultiDiGraph, iri: str, kind: str, parent: str, doc: str) -> None:
    G.add_node(iri, kind=kind, label=iri, iri=iri, path=iri, title=iri, section_kind=kind, document=doc, quote=iri,
               start=None, end=None)
    G.add_edge(iri, parent, key="part_of", kind="part_of")


def add_task(G: nx.MultiDiGraph, iri: str, parent: str, doc: str, lead: str | None, co: list[str]) -> None:
    add_section(G, iri, "task", parent, doc)
    G.nodes[iri].update(lead=lead, co=co, deadline=None, responsibility_text=None)
    for position, (role, d) in enumerate([("lead", lead)] * bool(lead) + [("co", c) for c in co]):
        if d not in G:
            G.add_node(d, kind="department", label=d, iri=d, pref_label=d, alt_labels=[], collective=False)
        G.add_edge(iri, d, key=role, kind=role, written_as=d, position=position if lead else position + 1)


def add_indicator(G: nx.MultiDiGraph, iri: str, owner: str, quantitative: bool = True) -> None:
    G.add_node(iri, kind="indicator", label=iri, iri=iri, indicator_id=iri, subject=f"subject {iri}", text=iri,
               value=1 if quantitative else None, value_max=None, unit="家" if quantitative else None,
               comparator=None, year=None, per_year=False, cumulative=False, quantitative=quantitative,
               owner=G.nodes[owner].get("path"), document=G.nodes[owner].get("document", owner), start=None,
               end=None, unassigned=False)
    G.add_edge(owner, iri, key="has_indicator", kind="has_indicator")


def same_as(G: nx.MultiDiGraph, a: str, b: str) -> None:
    G.add_edge(a, b, key="same_as", kind="same_as")
    G.add_edge(b, a, key="same_as", kind="same_as")


def tiny() -> nx.MultiDiGraph:
    """One document: goals G1 (targets i1, i2) and G2 (i3, qualitative i7); tasks T1 (A leads; B, C, D co-operate;
    states i4, the same target as i1), T2 (A; B), T3 (B; C, D, E, F; its sub-item S states i6), T4 (nobody; i5)."""
    G = nx.MultiDiGraph()
    add_document(G, "D")
    add_section(G, "P1", "section", "D", "D")
    add_section(G, "G1", "goal", "P1", "D")
    add_section(G, "G2", "goal", "P1", "D")
    add_section(G, "P2", "section", "D", "D")
    add_task(G, "T1", "P2", "D", "A", ["B", "C", "D1"])
    add_task(G, "T2", "P2", "D", "A", ["B"])
    add_task(G, "T3", "P2", "D", "B", ["C", "D1", "E", "F"])
    add_section(G, "S", "section", "T3", "D")
    add_task(G, "T4", "P2", "D", None, [])
    for i, owner in [("i1", "G1"), ("i2", "G1"), ("i3", "G2"), ("i4", "T1"), ("i5", "T4"), ("i6", "S")]:
        add_indicator(G, i, owner)
    add_indicator(G, "i7", "G2", quantitative=False)
    same_as(G, "i1", "i4")
    return G


def bridge() -> nx.MultiDiGraph:
    """Two groups that share tasks within themselves, joined by one task: A, B, C | D, E, F, and C with D."""
    G = nx.MultiDiGraph()
    add_document(G, "D")
    add_task(G, "Ta", "D", "D", "A", ["B", "C"])
    add_task(G, "Tb", "D", "D", "D1", ["E", "F"])
    add_task(G, "Tc", "D", "D", "C", ["D1"])
    return G


def two_documents() -> nx.MultiDiGraph:
    """A leads X1 in document X and co-operates on Y1 in document Y (led by B); X1 states x."""
    G = nx.MultiDiGraph()
    add_document(G, "X")
    add_document(G, "Y")
    add_task(G, "X1", "X", "X", "A", [])
    add_task(G, "Y1", "Y", "Y", "B", ["A"])
    add_indicator(G, "x", "X1")
    return G


# -- ownership -----------------------------------------------------------------------------------------------


def test_owners_and_portfolio():
    G = tiny()
    assert ownership.owners(G, "T1") == {"lead": ["A"], "co": ["B", "C", "D1"]}
    assert ownership.owners(G, "T4") == {"lead": [], "co": []}
    assert ownership.responsible_departments(G, "T3") == ["B", "C", "D1", "E", "F"]
    assert ownership.portfolio(G, "B") == {"lead": ["T3"], "co": ["T1", "T2"], "indicators": ["i4", "i6"]}
    assert ownership.portfolio(G, "A") == {"lead": ["T1", "T2"], "co": [], "indicators": ["i4"]}
    assert ownership.indicators_of(G, "T3") == ["i6"] and ownership.indicators_of(G, "T3", descend=False) == []
    assert ownership.indicators_of(G, "P1") == ["i1", "i2", "i3", "i7"]
    assert ownership.sub_sections(G, "P2") == ["T1", "T2", "T3", "S", "T4"]


def test_workload_weighs_lead_over_co():
    G = tiny()
    assert ownership.lead_counts(G) == {"A": 2, "B": 1}
    load = ownership.workload(G)  # lead 2, co 1: A 2+2, B 1+1+2, C 1+1, D1 1+1, E 1, F 1
    assert load == {"A": 4.0, "B": 4.0, "C": 2.0, "D1": 2.0, "E": 1.0, "F": 1.0}
    assert list(load) == ["A", "B", "C", "D1", "E", "F"]  # A and B tie; A leads more
    assert list(ownership.workload(G, {"lead": 1, "co": 1})) == ["B", "A", "C", "D1", "E", "F"]
    assert ownership.workload(G, {"lead": 3, "co": 0}) == {"A": 6.0, "B": 3.0, "C": 0.0, "D1": 0.0, "E": 0.0,
                                                           "F": 0.0}


def test_a_department_leading_and_co_operating_counts_once():
    G = nx.MultiDiGraph()
    add_document(G, "D")
    add_task(G, "T", "D", "D", "A", ["A", "B"])
    assert ownership.workload(G) == {"A": 2.0, "B": 1.0}


def test_across_documents():
    G = two_documents()
    assert ownership.across_documents(G, "A") == {"X": {"lead": ["X1"], "co": [], "indicators": ["x"]},
                                                  "Y": {"lead": [], "co": ["Y1"], "indicators": []}}
    assert ownership.across_documents(G, "B") == {"Y": {"lead": ["Y1"], "co": [], "indicators": []}}
    assert ownership.documents_per_department(G) == {"A": 2, "B": 1}
    assert ownership.portfolio(G, "A", documents=["Y"]) == {"lead": [], "co": ["Y1"], "indicators": []}


# -- the co-responsibility network -----------------------------------------------------------------------------


def test_co_responsibility_graph():
    C = network.co_responsibility_graph(tiny())
    assert (C.number_of_nodes(), C.number_of_edges()) == (6, 13)
    heavy = {frozenset(e) for e in [("A", "B"), ("B", "C"), ("B", "D1"), ("C", "D1")]}
    assert all(C.edges[u, v]["weight"] == (2 if frozenset((u, v)) in heavy else 1) for u, v in C.edges)
    assert C.edges["A", "B"]["tasks"] == ["T1", "T2"] and C.edges["A", "B"]["distance"] == 0.5
    assert (C.nodes["B"]["lead"], C.nodes["B"]["co"]) == (1, 2)
    co_only = network.co_responsibility_graph(tiny(), roles=("co",))
    assert "A" not in co_only and co_only.number_of_edges() == 8 and co_only.edges["C", "D1"]["weight"] == 2


def test_centrality_by_hand():
    C = network.co_responsibility_graph(tiny())
    scores = network.centrality(C)
    # only A-E and A-F are two hops apart, each through B, C or D1: 2/3 of a path each, over 10 pairs
    assert {n: round(s["betweenness"], 4) for n, s in scores.items()} == {
        "A": 0.0, "B": 0.0667, "C": 0.0667, "D1": 0.0667, "E": 0.0, "F": 0.0}
    assert {n: s["degree"] for n, s in scores.items()} == pytest.approx(
        {"A": 0.6, "B": 1.0, "C": 1.0, "D1": 1.0, "E": 0.8, "F": 0.8})
    assert {n: s["strength"] for n, s in scores.items()} == {"A": 4, "B": 8, "C": 7, "D1": 7, "E": 4, "F": 4}
    assert network.central_departments(C, "strength", top=2) == [("B", 8.0), ("C", 7.0)]


def test_communities_and_bridges():
    C = network.co_responsibility_graph(bridge())
    assert network.communities(C) == [["A", "B", "C"], ["D1", "E", "F"]]
    # C and D1 carry every path between the groups: 6 of the 10 pairs of the other departments each
    top = network.central_departments(C, top=3)
    assert [d for d, _ in top] == ["C", "D1", "A"] and [v for _, v in top] == pytest.approx([0.6, 0.6, 0.0])
    assert network.communities(nx.Graph()) == []


# -- risks ---------------------------------------------------------------------------------------------------


def test_risks_by_hand():
    G = tiny()
    assert risks.diffuse_tasks(G, threshold=3) == [("T3", 4), ("T1", 3)]
    assert risks.diffuse_tasks(G, threshold=4) == [("T3", 4)]
    assert risks.diffuse_tasks(G) == []  # 6 or more by default
    assert risks.co_only_departments(G) == ["C", "D1", "E", "F"]
    assert risks.unowned_tasks(G) == ["T4"]
    # i4 is stated in T1, i1 is the same target; i6 sits in T3's sub-item S, which the audit does not count
    assert risks.owned_indicators(G) == {"i1", "i4"}
    assert risks.unreachable_indicators(G) == ["i2", "i3", "i5", "i6"]
    assert risks.unreachable_indicators(G, quantitative_only=False) == ["i2", "i3", "i5", "i6", "i7"]
    assert risks.unowned_goals(G) == ["G2"]  # G1's i1 is owned through i4


# -- the example document ------------------------------------------------------------------------------------


def test_example_ownership():
    G = example_projection()
    label = {n: d["label"] for n, d in G.nodes(data=True)}
    leads = ownership.lead_counts(G)
    assert [(label[d], n) for d, n in leads.items()][:2] == [("市质监局", 7), ("市经信委", 4)]
    assert sum(leads.values()) == 14
    load = ownership.workload(G)
    assert [(label[d], w) for d, w in load.items()][:2] == [("市质监局", 21.0), ("市经信委", 14.0)]
    kj = ownership.portfolio(G, by_name(G, "苏州市科学技术局"))
    assert (len(kj["lead"]), len(kj["co"])) == (0, 5)
    assert [G.nodes[i]["indicator_id"] for i in kj["indicators"]] == [f"I{n}" for n in range(37, 45)] + ["I50"]
    assert ownership.owners(G, by_path(G, "三/（一）/1")) == {
        "lead": [by_name(G, "市质监局")], "co": [by_name(G, "市经信委"), by_name(G, "苏州出入境检验检疫局")]}


def test_example_network():
    G = example_projection()
    label = {n: d["label"] for n, d in G.nodes(data=True)}
    C = network.co_responsibility_graph(G)
    assert (C.number_of_nodes(), C.number_of_edges()) == (27, 174)
    groups = network.communities(C)
    assert [len(g) for g in groups] == [9, 7, 6, 5]
    assert {"市质监局", "市经信委", "市工商局"} <= {label[d] for d in groups[0]}
    top = network.central_departments(C, top=2)
    assert label[top[0][0]] == "市质监局" and round(top[0][1], 3) == 0.191
    assert [label[d] for d, _ in network.central_departments(C, "degree", top=1)] == ["市质监局"]


def test_example_risks():
    G = example_projection()
    label = {n: d["label"] for n, d in G.nodes(data=True)}
    diffuse = risks.diffuse_tasks(G)
    assert [(G.nodes[t]["path"], n) for t, n in diffuse][:2] == [("三/（二）/1", 13), ("三/（四）/1", 10)]
    assert [n for _, n in diffuse] == [13, 10, 8, 7, 6, 6]
    co_only = risks.co_only_departments(G)
    assert len(co_only) == 22 and "市科技局" in {label[d] for d in co_only}
    assert [G.nodes[g]["path"] for g in risks.unowned_goals(G)] == ["二/（一）", "二/（三）"]
    assert risks.unowned_tasks(G) == []
    unreachable = [G.nodes[i]["indicator_id"] for i in risks.unreachable_indicators(G)]
    assert unreachable == [f"I{n:02d}" for n in [*range(1, 14), *range(18, 33)]]
    assert by_id(G, "I14") in risks.owned_indicators(G)  # restated as I45 in 三/（二）/1


@pytest.mark.parametrize("threshold", [1, 5, 14])
def test_diffusion_threshold_is_a_parameter(threshold: int):
    G = example_projection()
    found = risks.diffuse_tasks(G, threshold)
    assert all(n >= threshold for _, n in found)
    assert len(found) == sum(1 for t in nodes_of_kind(G, "task") if len(G.nodes[t]["co"]) >= threshold)
