"""NetworkX and SPARQL give the same answers: for every task (who owns it), every department (what it leads and
co-operates on, with the indicators of those tasks) and the audit (targets no department reaches), on the
example and on the corpus as one multi-document graph."""

from __future__ import annotations

import functools
import os

import pytest
from rdflib import Graph

from policykg.graph import ownership, queries, risks
from policykg.graph.build import build_documents
from policykg.graph.projection import nodes_of_kind, project
from policykg.graph.store import store_of
from tests.test_projection import example_store
from tests.test_sparql_answers import CORPUS, SHARED


@functools.cache
def corpus_store() -> Graph:
    if not CORPUS:
        if os.environ.get("CI"):
            pytest.fail(f"the corpus is missing: no {SHARED / 'corpus'}/*.txt")
        pytest.skip(f"no corpus at {SHARED / 'corpus'}")
    from policykg.extract import extract_file

    return store_of(build_documents(extract_file(str(p)) for p in CORPUS))


def _compare(data: Graph) -> tuple[int, int]:
    G = project(data)
    tasks = nodes_of_kind(G, "task")
    for task in tasks:
        t = G.nodes[task]
        found = [x for x in queries.who_owns(data, t["path"]) if x.task == task]
        assert len(found) == 1, t["label"]
        answer = found[0]
        o = ownership.owners(G, task)
        assert (answer.lead, answer.co) == (t["lead"], t["co"]), t["label"]
        assert answer.lead_label == (G.nodes[o["lead"][0]]["pref_label"] if o["lead"] else None), t["label"]
        assert answer.co_labels == [G.nodes[d]["pref_label"] for d in o["co"]], t["label"]
    departments = nodes_of_kind(G, "department")
    for d in departments:
        answer = queries.tasks_of(data, d)
        p = ownership.portfolio(G, d)
        assert {(a.task, a.role) for a in answer} == {(t, r) for r in ("lead", "co") for t in p[r]}, d
        for a in answer:  # the indicators stated in each task (and its sub-items)
            assert [i["id"] for i in a.indicators] == [G.nodes[i]["indicator_id"]
                                                       for i in ownership.indicators_of(G, a.task)], (d, a.path)
    audit = [(i["document"], i["id"]) for i in queries.unassigned(data)]
    reached = [(G.nodes[i]["document"], G.nodes[i]["indicator_id"]) for i in risks.unreachable_indicators(G)]
    assert reached == audit  # the same targets, in the same order (the text's)
    return len(tasks), len(departments)


def test_example_networkx_equals_sparql():
    assert _compare(example_store()) == (14, 27)


def test_corpus_networkx_equals_sparql():
    data = corpus_store()
    tasks, departments = _compare(data)
    assert tasks >= 100 and departments >= 50
    G = project(data)
    docs = nodes_of_kind(G, "document")
    assert len(docs) == len(CORPUS)
    for d in nodes_of_kind(G, "department"):  # across documents: each document's share adds up to the whole
        per_doc = ownership.across_documents(G, d)
        whole = ownership.portfolio(G, d)
        for role in ("lead", "co"):
            assert sorted(t for p in per_doc.values() for t in p[role]) == sorted(whole[role])
        assert all(G.nodes[t]["document"] == doc for doc, p in per_doc.items() for t in p["lead"] + p["co"])
