"""The SPARQL compilation of ontology/shapes.ttl (graph/fast_validate.py) agrees with pyshacl."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from policykg.extract import extract_file
from policykg.graph.build import build_graph, document_iri
from policykg.graph.fast_validate import Unsupported, Validator, _not_exists_as_minus, compile_shapes
from policykg.graph.serialize import serialize
from policykg.graph.triples import build_triples
from policykg.graph.validate import validate
from policykg.graph.vocab import DCTERMS, OA, ORG, PKG, PROV, SKOS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "suzhou-2017-173.txt"
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")


@pytest.fixture(scope="module")
def example() -> tuple[str, Graph]:
    ex = extract_file(str(EXAMPLE))
    return document_iri(ex), build_graph(ex)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def _sorted(g: Graph, *pattern: object) -> list:
    return sorted(set(g.subjects(*pattern)), key=str)  # type: ignore[arg-type]


def broken(g: Graph) -> Graph:
    """The example with one or more faults for every kind of constraint the shapes use."""
    b = Graph()
    for t in g:
        b.add(t)
    t0, t1, t2, t3 = _sorted(b, PKG.leadDepartment, None)[:4]
    b.remove((t0, PKG.leadDepartment, None))  # a clause without a lead; an attribution without its shortcut
    b.add((t1, PKG.leadDepartment, URIRef("https://w3id.org/policykg/id/org/X")))  # two leads, one unknown
    b.add((t2, PKG.coDepartment, Literal("abc")))  # a literal where an organisation belongs
    b.remove((t3, PKG.textSource, None))
    ind = _sorted(b, RDF.type, PKG.QuantitativeTarget)
    b.remove((ind[0], PKG.targetValue, None))
    b.add((ind[0], PKG.targetValue, Literal("many")))
    b.remove((ind[1], PKG.unit, None))
    b.add((ind[2], PKG.targetValueMax, Literal(1)))  # a value above its maximum
    b.add((ind[3], PKG.comparator, PKG.Bogus))
    b.add((ind[4], PKG.respectiveItem, Literal(3)))
    b.add((ind[5], PKG.sameTargetAs, ind[6]))  # stated one way only
    b.add((ind[7], PKG.perYear, Literal("yes")))
    b.add((ind[9], PKG.targetValue, Literal("x1", datatype=XSD_INTEGER)))  # ill-typed
    org = _sorted(b, RDF.type, ORG.Organization)
    b.add((org[0], SKOS.prefLabel, Literal("另一个名称", lang="zh")))
    b.remove((org[1], SKOS.prefLabel, None))
    b.add((org[2], ORG.subOrganizationOf, Literal("gov")))
    pos = _sorted(b, RDF.type, OA.TextPositionSelector)
    b.remove((pos[0], OA.end, None))
    b.add((pos[0], OA.end, Literal(-5)))  # not a nonNegativeInteger, and before its start
    b.remove((pos[1], OA.start, None))
    start = b.value(pos[2], OA.start)
    b.remove((pos[2], OA.start, None))
    b.add((pos[2], OA.start, Literal(int(start))))  # xsd:integer where xsd:nonNegativeInteger is required
    quote = _sorted(b, RDF.type, OA.TextQuoteSelector)
    b.add((quote[0], OA.prefix, Literal("p2")))
    b.remove((quote[1], RDF.type, OA.TextQuoteSelector))
    sec = _sorted(b, RDF.type, PKG.Section)
    b.add((sec[0], PKG.sectionKind, PKG.KindBogus))
    b.add((sec[1], PKG.path, Literal("x", lang="zh")))
    b.remove((sec[2], DCTERMS.isPartOf, None))
    att = sorted(set(b.objects(None, PROV.qualifiedAttribution)), key=str)
    b.remove((att[0], RDF.type, None))
    b.add((att[1], PROV.hadRole, PKG.Other))
    b.add((att[2], PKG.position, Literal("1")))
    doc = next(iter(b.subjects(RDF.type, PKG.PolicyDocument)))
    b.remove((doc, DCTERMS.title, None))
    b.add((doc, DCTERMS.identifier, Literal("second")))
    return b


def test_the_shapes_compile() -> None:
    from policykg.graph.validate import load_shapes

    checks = compile_shapes(load_shapes()[0])
    assert len(checks) > 50
    assert {c.component for c in checks} >= {"minCount", "maxCount", "datatype", "class", "in", "sparql",
                                             "qualifiedMinCount", "uniqueLang", "lessThanOrEquals", "or"}


def test_same_report_as_pyshacl_on_the_example(example: tuple[str, Graph], validator: Validator) -> None:
    _, g = example
    assert validator.validate(g) == validate(g)


def test_same_report_as_pyshacl_on_a_broken_graph(example: tuple[str, Graph], validator: Validator) -> None:
    b = broken(example[1])
    expected = validate(b)
    assert not expected.conforms and expected.count("violation") >= 30
    assert validator.validate(b).findings == expected.findings
    one_way = [f for f in expected.findings if f.message == "a same_as link is stated one way only"]
    assert [f.severity for f in one_way] == ["warning"]  # a warning, as its shape says


def test_named_graphs_and_nquads_give_the_same_report(example: tuple[str, Graph], validator: Validator,
                                                      tmp_path: Path) -> None:
    iri, g = example
    b = broken(g)
    expected = validator.validate(b)
    assert validator.validate({iri: b}) == expected
    (tmp_path / "doc.nq").write_bytes(serialize({iri: b}, "nq"))
    assert validator.run(validator.prepare_nquads([tmp_path / "doc.nq"])) == expected


def test_triples_sink_builds_the_same_graph(example: tuple[str, Graph]) -> None:
    ex = extract_file(str(EXAMPLE))
    assert set(build_triples(ex)) == set(example[1])


def test_not_exists_becomes_minus_only_where_equivalent() -> None:
    q = "SELECT ?this ?value WHERE { ?this <p> ?value . FILTER NOT EXISTS { ?this <q> ?a . ?a <r> ?value } }"
    assert "MINUS { ?this <q> ?a . ?a <r> ?value }" in _not_exists_as_minus(q)
    kept = [
        "SELECT ?this WHERE { ?this <p> ?v . FILTER NOT EXISTS { ?x <q> ?y } }",  # no shared variable
        "SELECT ?this WHERE { ?this <p> ?v . FILTER NOT EXISTS { ?this <q> ?y FILTER (?y > ?v) } }",  # inner filter
        "SELECT ?this WHERE { ?this <p> ?v OPTIONAL { ?this <o> ?w } FILTER NOT EXISTS { ?this <q> ?w } }",
    ]
    for q in kept:
        assert _not_exists_as_minus(q) == q


def test_an_unknown_constraint_is_refused(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .
    """, encoding="utf-8")
    with pytest.raises(Unsupported):
        Validator(str(shapes))
