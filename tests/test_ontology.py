"""ontology/qb.ttl and ontology/shapes.ttl: they parse everywhere, every term is documented in Chinese and
English, the builder uses only declared terms, and the shortcut rule holds."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.compare import isomorphic

from policykg.graph import iris
from policykg.graph.build import build_graph
from policykg.graph.queries import query_text
from policykg.graph.serialize import from_ox
from policykg.graph.store import ontology_path, store_of
from policykg.graph.vocab import OWL, PKG, PROV, QB
from tests.test_graph_sample import sample_extraction


def _rdflib(name: str) -> Graph:
    return Graph().parse(ontology_path(name), format="turtle")


def _oxigraph(name: str) -> Graph:
    g = Graph()
    for q in ox.parse(path=str(ontology_path(name)), format=ox.RdfFormat.TURTLE):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


@pytest.mark.parametrize("name", ["qb.ttl", "shapes.ttl"])
def test_parses_alike_in_rdflib_and_oxigraph(name: str):
    a, b = _rdflib(name), _oxigraph(name)
    assert len(a) > 100
    assert isomorphic(a, b)


def test_every_term_has_chinese_and_english_labels_and_comments():
    g = _rdflib("qb.ttl")
    terms = {s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith((iris.NS, iris.ID))}
    terms.add(URIRef(iris.ONTOLOGY))
    assert len(terms) > 60
    missing = []
    for term in sorted(terms):
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in g.objects(term, prop)}
            if not {"zh", "en"} <= langs:
                missing.append(f"{iris.display(str(term))} {iris.display(str(prop))} {sorted(filter(None, langs))}")
    assert missing == []


def test_nothing_is_imported_so_nothing_is_fetched():
    for name in ("qb.ttl", "shapes.ttl"):
        assert (None, OWL.imports, None) not in _rdflib(name)


def test_the_builder_uses_only_declared_terms():
    ontology = _rdflib("qb.ttl")
    declared = set(ontology.subjects())
    data = build_graph(sample_extraction())
    used = {p for p in data.predicates() if str(p).startswith(iris.NS)}
    used |= {o for o in data.objects(None, RDF.type) if str(o).startswith(iris.NS)}
    used |= {o for o in data.objects() if isinstance(o, URIRef) and str(o).startswith(iris.NS)}
    assert used and used <= declared, sorted(map(str, used - declared))


def test_reuses_w3c_vocabularies():
    g = _rdflib("qb.ttl")
    assert (PKG.Indicator, RDFS.subClassOf, QB.Observation) in g
    assert (PKG.leadDepartment, RDFS.subPropertyOf, PKG.responsibleDepartment) in g
    assert (PKG.responsibleDepartment, RDFS.subPropertyOf, PROV.wasAttributedTo) in g
    chain = g.value(PKG.responsibleDepartment, OWL.propertyChainAxiom)
    assert list(g.items(chain)) == [PROV.qualifiedAttribution, PROV.agent]
    for dsd in (PKG.QuantitativeTargetStructure, PKG.QualitativeTargetStructure):
        assert (dsd, RDF.type, QB.DataStructureDefinition) in g
        dims = {g.value(c, QB.dimension) for c in g.objects(dsd, QB.component)} - {None}
        assert dims == {PKG.refSection, PKG.subject, PKG.targetPeriod, PKG.respectiveItem}
        assert len({g.value(c, QB.measure) for c in g.objects(dsd, QB.component)} - {None}) == 1


def test_the_shortcut_rule_derives_exactly_the_shortcuts():
    g = build_graph(sample_extraction())
    derived = set(store_of(g).query(query_text("shortcuts")).graph)
    stated = set(g.triples((None, PKG.leadDepartment, None))) | set(g.triples((None, PKG.coDepartment, None)))
    assert len(stated) == 3
    assert derived == stated
