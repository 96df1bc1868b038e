"""graph/store.py: queries see the RDF merge of the named graphs as their default graph, and each named graph
through GRAPH."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from policykg.graph.store import store_of

EX = "https://example.org/"


def test_the_default_graph_is_the_merge_of_the_named_graphs() -> None:
    a, b = Graph(identifier=URIRef(EX + "a")), Graph(identifier=URIRef(EX + "b"))
    shared = (URIRef(EX + "s"), URIRef(EX + "p"), Literal("shared"))
    a.add(shared)
    b.add(shared)
    a.add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("only a")))
    g = store_of({EX + "a": a, EX + "b": b}, with_ontology=False)
    merged = {str(r.o) for r in g.query("SELECT ?o WHERE { ?s ?p ?o }")}
    assert merged == {"shared", "only a"}
    assert len(list(g.query("SELECT ?o WHERE { ?s ?p ?o }"))) == 2  # a triple two graphs share is one triple
    per_graph = sorted((str(r.g), str(r.o)) for r in g.query("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert per_graph == [(EX + "a", "only a"), (EX + "a", "shared"), (EX + "b", "shared")]
