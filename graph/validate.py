"""SHACL validation of a graph against ontology/shapes.ttl (pyshacl), with a report people can read.

pyshacl gets the ontology as its ontology graph (so rdfs:subClassOf is known) and is told not to follow
owl:imports: validation never touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, Namespace
from rdflib.term import Node

from policykg.errors import InputError
from policykg.graph import iris
from policykg.graph.store import ontology_path

SH = Namespace("http://www.w3.org/ns/shacl#")
SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


@dataclass(frozen=True)
class Finding:
    severity: str
    focus: str
    path: str
    value: str
    message: str


@dataclass
class Report:
    conforms: bool
    shapes: str
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def summary(self) -> str:
        v, w = self.count("violation"), self.count("warning")
        verdict = "conforms" if self.conforms else "does not conform"
        return f"{verdict}: {v} violation{'s' * (v != 1)}, {w} warning{'s' * (w != 1)}"

    def text(self) -> str:
        lines = [f"SHACL validation against {self.shapes}: {self.summary()}"]
        for f in self.findings:
            where = f.focus + (f"  {f.path}" if f.path else "")
            lines.append(f"\n{f.severity:9}  {where}")
            lines.append(f"           {f.message}" + (f" (value: {f.value})" if f.value else ""))
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "shapes": self.shapes,
            "violations": self.count("violation"),
            "warnings": self.count("warning"),
            "results": [f.__dict__ for f in self.findings],
        }


def load_shapes(path: str | None = None) -> tuple[Graph, str]:
    file = Path(path) if path else ontology_path("shapes.ttl")
    g = Graph()
    try:
        g.parse(file, format="turtle")
    except FileNotFoundError:
        raise InputError(f"{file}: no such shapes file") from None
    except Exception as exc:  # rdflib raises several parser exception types
        raise InputError(f"{file}: not valid Turtle ({' '.join(str(exc).split())})") from None
    return g, str(path) if path else "ontology/shapes.ttl"


def validate(data: Graph, shapes_path: str | None = None) -> Report:
    """Validate data (one merged graph) against the shapes; the ontology is mixed in, nothing is fetched."""
    from pyshacl import validate as shacl_validate

    shapes, shapes_name = load_shapes(shapes_path)
    ontology = Graph().parse(ontology_path(), format="turtle")
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        allow_infos=True,
        meta_shacl=False,
        advanced=False,
        do_owl_imports=False,
    )
    findings = sorted({_finding(results, r) for r in results.subjects(RDF.type, SH.ValidationResult)},
                      key=lambda f: (f.severity != "violation", f.focus, f.path, f.message, f.value))
    return Report(bool(conforms), shapes_name, findings)


def _finding(results: Graph, r: Node) -> Finding:
    severity = SEVERITY.get(results.value(r, SH.resultSeverity), "violation")
    focus = results.value(r, SH.focusNode)
    path = results.value(r, SH.resultPath)
    value = results.value(r, SH.value)
    message = results.value(r, SH.resultMessage)
    return Finding(
        severity=severity,
        focus=iris.display(str(focus)) if focus is not None else "",
        path=_path_text(results, path),
        value=iris.display(str(value)) if value is not None else "",
        message=str(message) if message is not None else "",
    )


def _path_text(results: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    items = list(results.items(path)) if (path, RDF.first, None) in results else [path]
    return "/".join(iris.display(str(p)) for p in items)
