"""The graph and the JSON view say the same thing: for every task and department of every corpus document, the
SPARQL answers (graph/queries/*.rq through graph/queries.py) equal what the JSON view says, and the audit
derived in SPARQL equals the JSON's list of unassigned indicators."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policykg.graph import iris, queries
from policykg.graph.build import build_graph, document_iri, document_place
from policykg.graph.store import store_of
from tests.test_graph_sample import sample_extraction

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = sorted((SHARED / "corpus").glob("*.txt"))


def _corpus() -> list[Path]:
    if not CORPUS:
        if os.environ.get("CI"):
            pytest.fail(f"the corpus is missing: no {SHARED / 'corpus'}/*.txt")
        pytest.skip(f"no corpus at {SHARED / 'corpus'}")
    return CORPUS


def _compare(ex) -> int:
    """Assert every answer; return how many were compared."""
    view = ex.to_json()
    data = store_of(build_graph(ex))
    compared = 0
    for task in view["tasks"]:
        found = [t for t in queries.who_owns(data, task["path"]) if t.path == task["path"]]
        assert len(found) == 1, task["path"]
        assert (found[0].lead, found[0].co) == (task["lead"], task["co"]), task["path"]
        compared += 1
    place = document_place(ex.document)
    group: dict[str, set[str]] = {}  # department IRI -> every name the JSON gives it
    for d in view["departments"]:
        iri = iris.organisation(d["canonical"], d["name"], place, document_iri(ex), d["collective"])
        group.setdefault(iri, set()).update([d["name"], *d["aliases"]])
    for d in view["departments"]:
        iri = iris.organisation(d["canonical"], d["name"], place, document_iri(ex), d["collective"])
        names = group[iri]
        assert queries.find_department(data, d["name"]).iri == iri, d["name"]
        answer = {(t.path, t.role) for t in queries.tasks_of(data, iri)}
        expected = {(t["path"], "lead") for t in view["tasks"] if t["lead"] in names}
        expected |= {(t["path"], "co") for t in view["tasks"] if names & set(t["co"])}
        assert answer == expected, d["name"]
        mentioned = set().union(*(x["mentioned_in"] for x in view["departments"]
                                  if iris.organisation(x["canonical"], x["name"], place, document_iri(ex),
                                                       x["collective"]) == iri))
        assert {path for path, _ in answer} == mentioned, d["name"]
        compared += 1
    audit = [i["id"] for i in queries.unassigned(data)]
    assert audit == view["audit"]["unassigned_indicators"]
    return compared + 1


def test_the_sample_answers_equal_its_json_view():
    assert _compare(sample_extraction()) == 2 + 3 + 1


@pytest.mark.parametrize("name", [p.name for p in CORPUS] or ["(corpus)"])
def test_corpus_answers_equal_the_json_view(name: str):
    path = next((p for p in _corpus() if p.name == name), None)
    assert path is not None
    from policykg.extract import extract_file

    ex = extract_file(str(path))
    assert ex.tasks and ex.departments
    assert _compare(ex) >= len(ex.tasks) + len(ex.departments)
