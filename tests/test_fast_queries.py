"""graph/fast_queries.py answers who-owns and tasks-of exactly as the shipped queries (graph/queries/*.rq) do."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from policykg.extract import extract_file
from policykg.graph import fast_queries, queries
from policykg.graph.build import build_documents
from policykg.graph.store import store_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def graph() -> Graph:
    sources = [ROOT / "examples" / "suzhou-2017-173.txt", *sorted((ROOT / "tests" / "data").glob("*.txt"))]
    return store_of(build_documents(extract_file(str(p)) for p in sources))


def test_spellings_of_a_folded_path() -> None:
    assert fast_queries.spellings("三/(一)/1") == ["三/(一)/1", "三/(一）/1", "三/（一)/1", "三/（一）/1"]
    assert fast_queries.spellings("(" * 9) is None


def test_same_answers_as_the_shipped_query(graph: Graph) -> None:
    paths = [r["p"] for r in queries.rows(queries.run(graph, "SELECT DISTINCT ?p WHERE { ?t a pkg:Task ; "
                                                               "pkg:path ?p }"))]
    needles = paths + [p.replace("（", "(").replace("）", ")") for p in paths] + ["质量", "标准", "no such task"]
    assert len(paths) > 20
    for needle in needles:
        assert fast_queries.who_owns(graph, needle) == queries.shipped_who_owns(graph, needle), needle
        assert queries.who_owns(graph, needle) == queries.shipped_who_owns(graph, needle), needle
    assert fast_queries.indexed_paths(graph, "三/(一)/1") is not None
    assert fast_queries.indexed_paths(graph, "质量") is None  # a title fragment: left to the shipped query


def test_who_owns_uses_the_index_on_oxigraph_only(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = queries.shipped_who_owns

    def refuse(data: Graph, needle: str) -> list[queries.TaskOwners]:
        raise AssertionError("the shipped query ran for a path")

    monkeypatch.setattr(queries, "shipped_who_owns", refuse)
    assert queries.who_owns(graph, "三/(一)/1")
    monkeypatch.setattr(queries, "shipped_who_owns", shipped)
    plain = Graph()
    for triple in graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"):
        plain.add(triple)  # type: ignore[arg-type]
    assert not fast_queries.is_oxigraph(plain)
    assert fast_queries.is_oxigraph(graph)
    assert queries.who_owns(plain, "三/(一)/1") == queries.who_owns(graph, "三/(一)/1")


def test_tasks_of_same_rows_as_the_shipped_query(graph: Graph) -> None:
    departments = [r["d"] for r in queries.rows(queries.run(
        graph, "SELECT DISTINCT ?d WHERE { ?t pkg:leadDepartment|pkg:coDepartment ?d } ORDER BY ?d"))]
    assert len(departments) > 10
    with_indicators = 0
    for department in departments:
        fast = fast_queries.indexed_tasks_of(graph, department)
        assert fast == queries.shipped_tasks_of_rows(graph, department), department
        with_indicators += any(r["indicatorId"] is not None for r in fast or [])
    assert with_indicators > 3
    assert fast_queries.indexed_tasks_of(graph, "https://example.org/no-such-department") == []
