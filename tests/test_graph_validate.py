"""SHACL validation with ontology/shapes.ttl: built graphs conform, broken ones are caught, and nothing is
fetched over the network."""

from __future__ import annotations

import socket

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from policykg.graph import iris
from policykg.graph.build import build_graph, document_iri
from policykg.graph.validate import validate
from policykg.graph.vocab import OA, PKG, PROV, SKOS
from tests.test_graph_sample import example_graph, sample_extraction


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validation tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_the_example_conforms(no_network: None):
    report = validate(example_graph())
    assert report.conforms, report.text()
    assert report.count("violation") == 0


def test_the_sample_conforms_with_a_warning_for_a_lumped_subject(no_network: None):
    report = validate(build_graph(sample_extraction()))
    assert report.conforms, report.text()
    warnings = [f for f in report.findings if f.severity == "warning"]
    assert [(f.focus.rsplit("/", 1)[-1], f.path) for f in warnings] == [("I03", "pkg:respectiveItem")]
    assert report.text().startswith("SHACL validation against ontology/shapes.ttl: conforms: 0 violations, 1 warning")


def test_broken_graphs_are_caught(no_network: None):
    ex = sample_extraction()
    doc = document_iri(ex)
    g = build_graph(ex)
    task = URIRef(iris.section(doc, "二/（一）/1"))
    free_task = URIRef(iris.section(doc, "二/（一）/2"))
    lead = g.value(task, PKG.leadDepartment)
    co = sorted(g.objects(task, PKG.coDepartment))
    i01, i02, i05 = (URIRef(iris.indicator(doc, i)) for i in ("I01", "I02", "I05"))
    # a task with a clause but no lead; the qualified attribution then lacks its shortcut
    g.remove((task, PKG.leadDepartment, None))
    # a co shortcut with no qualified attribution behind it
    g.add((free_task, PKG.coDepartment, co[0]))
    # a department without a name
    g.remove((co[1], SKOS.prefLabel, None))
    # observations without a unit, without a value, and owned by no section
    g.remove((i01, PKG.unit, None))
    g.remove((i02, PKG.targetValue, None))
    g.set((i05, PKG.refSection, URIRef(doc)))
    # a task and an indicator without their source text; a selector that ends before it starts
    g.remove((free_task, PKG.textSource, None))
    g.remove((i02, PKG.textSource, None))
    position = URIRef(f"{i01}#text-position")
    g.set((position, OA.end, Literal(0)))
    report = validate(g)
    assert not report.conforms
    found = {(f.focus.rsplit("/", 1)[-1], f.path, f.message.split(" (")[0]) for f in report.findings
             if f.severity == "violation"}
    values = {f.value for f in report.findings if f.path == "" and "LeadRole" in f.message}
    assert values == {iris.display(str(lead))}
    expected = {
        ("1", "pkg:leadDepartment", "every task with a responsibility clause has exactly one lead department"),
        ("1", "", "a qualified attribution with pkg:LeadRole has no pkg:leadDepartment shortcut"),
        ("2", "", "a co-operating department is not backed by a qualified attribution with pkg:CoRole"),
        (iris.display(str(co[1])).rsplit("/", 1)[-1], "skos:prefLabel",
         "every department has one skos:prefLabel"),
        ("I01", "pkg:unit", "every quantitative target has one unit"),
        ("I02", "pkg:targetValue", "every quantitative target has one numeric value, not above its maximum"),
        ("I05", "pkg:refSection", "every indicator has an owner: the section that states it"),
        ("2", "pkg:textSource", "every task points at its source text"),
        ("I02", "pkg:textSource", "every indicator points at its source text"),
        ("I01#text-position", "oa:start", "a text position has one start, not after its end"),
    }
    assert {(focus, path, message.split(" (")[0]) for focus, path, message in expected} <= found, report.text()


def test_shortcut_without_attribution_and_department_shapes_have_messages():
    g = Graph()
    task = URIRef("https://w3id.org/policykg/id/doc/x/section/1")
    dept = URIRef("https://w3id.org/policykg/id/org/x")
    g.add((task, RDF.type, PKG.Task))
    g.add((task, PKG.leadDepartment, dept))
    g.add((dept, RDF.type, PROV.Organization))
    report = validate(g)
    messages = {f.message for f in report.findings}
    assert any("is not backed by a qualified attribution with pkg:LeadRole" in m for m in messages)
    assert any("every section has exactly one numbering path" in m for m in messages)
    assert report.to_json()["violations"] == report.count("violation") > 0
