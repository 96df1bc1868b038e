"""graph/fast_queries.py answers who-owns exactly as graph/queries.py does."""

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
        assert fast_queries.who_owns(graph, needle) == queries.who_owns(graph, needle), needle
    assert fast_queries.indexed_paths(graph, "三/(一)/1") is not None
    assert fast_queries.indexed_paths(graph, "质量") is None  # a title fragment: left to the shipped query
