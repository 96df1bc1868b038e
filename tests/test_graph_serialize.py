"""Every output format parses in rdflib and in pyoxigraph to the graph that was built, named graphs hold one
document each, and the same input gives the same bytes."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from policykg.graph.build import build_documents, build_graph, document_iri
from policykg.graph.serialize import FORMATS, from_ox, serialize
from tests.test_graph_sample import example_extraction, sample_extraction

RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
             "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}


pytestmark = pytest.mark.filterwarnings(  # rdflib's own parsers use its deprecated ConjunctiveGraph API
    "ignore:.*(default_context|ConjunctiveGraph).*:DeprecationWarning")


def _two_documents() -> dict[str, Graph]:
    return build_documents([sample_extraction(), sample_extraction("苏府办〔2099〕2号")])


def _merged(docs: dict[str, Graph]) -> Graph:
    g = Graph()
    for part in docs.values():
        g += part
    return g


def _by_rdflib(data: bytes, fmt: str) -> tuple[Graph, dict[str, Graph]]:
    ds = Dataset()
    ds.parse(data=data, format=RDFLIB_FORMAT[fmt])
    named = {str(g.identifier): g for g in ds.graphs() if len(g) and str(g.identifier).startswith("https://")}
    merged = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged, named


def _by_oxigraph(data: bytes, fmt: str) -> tuple[Graph, dict[str, Graph]]:
    merged, named = Graph(), {}
    for q in ox.parse(data, format=OX_FORMAT[fmt]):
        t = (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
        merged.add(t)
        if isinstance(q, ox.Quad) and isinstance(q.graph_name, ox.NamedNode):
            named.setdefault(q.graph_name.value, Graph()).add(t)
    return merged, named


@pytest.mark.parametrize("fmt", FORMATS)
def test_both_parsers_read_back_the_built_graph(fmt: str):
    docs = _two_documents()
    expected = _merged(docs)
    data = serialize(docs, fmt)
    for parse in (_by_rdflib, _by_oxigraph):
        merged, named = parse(data, fmt)
        assert len(merged) == len(expected)
        assert isomorphic(merged, expected), (parse.__name__, fmt)
        if fmt in ("nq", "trig", "jsonld"):  # one named graph per document, named by its IRI
            docs = {document_iri(sample_extraction()), document_iri(sample_extraction("苏府办〔2099〕2号"))}
            assert set(named) == docs
            for name, g in named.items():
                assert isomorphic(g, build_graph(
                    next(e for e in (sample_extraction(), sample_extraction("苏府办〔2099〕2号"))
                         if document_iri(e) == name)))


def test_the_example_turtle_is_isomorphic_in_both_parsers():
    g = build_graph(example_extraction())
    data = serialize(g, "ttl")
    assert isomorphic(_by_rdflib(data, "ttl")[0], g)
    assert isomorphic(_by_oxigraph(data, "ttl")[0], g)


def test_same_input_same_bytes():
    for fmt in FORMATS:
        first = serialize(_two_documents(), fmt)
        again = serialize(build_documents([sample_extraction(), sample_extraction("苏府办〔2099〕2号")]), fmt)
        assert first == again, fmt
    # the order of documents does not change the triple formats either
    reversed_ = build_documents([sample_extraction("苏府办〔2099〕2号"), sample_extraction()])
    for fmt in FORMATS:
        assert serialize(reversed_, fmt) == serialize(_two_documents(), fmt), fmt


def test_turtle_is_readable():
    text = serialize(build_graph(sample_extraction()), "ttl").decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "@prefix dcmitype: <http://purl.org/dc/dcmitype/> ."
    assert "@prefix pkg: <https://w3id.org/policykg/ns#> ." in lines
    assert any(line.endswith("a pkg:Task , pkg:Section ;") or "pkg:Section , pkg:Task" in line for line in lines)
    assert '"市质监局"' in text  # literals stay UTF-8, not escaped


def test_jsonld_is_compacted_with_the_project_prefixes():
    doc = json.loads(serialize(_two_documents(), "jsonld"))
    assert doc["@context"]["pkg"] == "https://w3id.org/policykg/ns#"
    graphs = doc["@graph"]
    assert [g["@id"] for g in graphs] == sorted(g["@id"] for g in graphs)
    task = next(n for g in graphs for n in g["@graph"] if "pkg:Task" in n.get("@type", []))
    assert task["pkg:path"] == [{"@value": task["pkg:path"][0]["@value"]}]
    assert task["dcterms:title"][0]["@language"] == "zh"


def test_graph_names_are_documents():
    data = serialize(_two_documents(), "nq").decode("utf-8")
    names = {line.rsplit(" ", 2)[-2] for line in data.splitlines()}
    assert names == {f"<{document_iri(sample_extraction())}>",
                     f"<{document_iri(sample_extraction('苏府办〔2099〕2号'))}>"}
    assert isinstance(URIRef(document_iri(sample_extraction())), URIRef)
