"""The corpus worker's fast paths give what the general ones give: N-Quads bytes, validation, audit rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from policykg.extract import extract_file
from policykg.graph import corpus_worker
from policykg.graph.build import build_graph, document_iri
from policykg.graph.serialize import nquads, serialize
from policykg.graph.triples import build_triples

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "suzhou-2017-173.txt"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def example():
    ex = extract_file(str(EXAMPLE))
    return ex, document_iri(ex)


def test_nquads_equals_serialize_on_a_document(example):
    ex, iri = example
    triples = build_triples(ex)
    assert nquads({iri: triples}) == serialize({iri: triples}, "nq") == serialize({iri: build_graph(ex)}, "nq")


def test_nquads_equals_serialize_on_awkward_terms():
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    values = ['a "quoted" \\ back\\slash', "line\nbreak\r\ttab", "\x00\x01\x1f\x7f", "𠀀 non-BMP", "", "é",
              "<not an iri>"]
    g = Graph()
    for i, v in enumerate(values):
        g.add((s, p, Literal(v)))
        g.add((s, p, Literal(v, lang="zh-Hans")))
        g.add((URIRef(f"https://example.org/s{i}"), p, Literal(v, datatype=URIRef(XSD + "token"))))
    for lexical, dt in (("5", "integer"), ("05", "integer"), ("1.50", "decimal"), ("true", "boolean"),
                        ("2020-01-01", "date"), ("x1", "integer"), ("a", "string")):
        g.add((s, p, Literal(lexical, datatype=URIRef(XSD + dt))))
    g.add((s, p, Literal(7)))
    g.add((BNode("b1"), p, URIRef("https://example.org/o%20x")))
    g.add((s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef("https://example.org/C")))
    other = Graph()
    other.add((s, p, Literal("shared")))
    data = {"https://example.org/g2": other, "https://example.org/g1": g}
    assert nquads(data) == serialize(data, "nq")


def test_worker_validation_and_audit_equal_the_commands(example, tmp_path: Path):
    from policykg.graph import queries
    from policykg.graph.commands import unassigned_rows
    from policykg.graph.store import store_of
    from policykg.graph.validate import validate
    from policykg.render import cell

    ex, iri = example
    outcome = corpus_worker.run(corpus_worker.Job("suzhou.txt", str(EXAMPLE)), True)
    assert outcome.error is None and outcome.iri == iri
    graph = build_graph(ex)
    report = validate(graph)
    assert outcome.validation == {"conforms": report.conforms, "findings": [f.__dict__ for f in report.findings]}
    _, rows = unassigned_rows(queries.unassigned(store_of({iri: graph})))
    assert outcome.unassigned == [[cell(v) for v in row] for row in rows] and rows
    assert set(outcome.timings) == {"extract", "triples", "nquads", "load", "validate", "audit"}

    cached = tmp_path / "suzhou.nq"
    cached.write_bytes(outcome.nquads or b"")
    again = corpus_worker.run(corpus_worker.Job("suzhou.txt", str(EXAMPLE), cached_graph=str(cached)), True)
    assert (again.extracted, again.validation, again.unassigned) == (False, outcome.validation, outcome.unassigned)
