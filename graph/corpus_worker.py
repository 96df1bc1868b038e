"""One document of a corpus build, as a worker process runs it: extract, build its named graph, validate.

Everything crosses the process boundary as plain data (bytes, strings, dicts), so results pickle cheaply and
the parent never needs the worker's spaCy or rdflib objects. Module-level functions only: spawn-safe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Job:
    source: str  # path relative to the corpus directory: the document's key everywhere
    path: str  # where to read it
    cached_graph: str | None = None  # validate this N-Quads file instead of extracting (graph already built)


@dataclass
class Outcome:
    source: str
    error: str | None = None
    iri: str | None = None
    json_text: str | None = None
    nquads: bytes | None = None
    triples: int = 0
    validation: dict[str, Any] | None = None
    extracted: bool = field(default=True)


def run(job: Job, validate: bool) -> Outcome:
    """Never raises for a bad document: its failure is the outcome, reported by the parent."""
    try:
        if job.cached_graph is not None:
            return _validate_only(job)
        return _extract(job, validate)
    except Exception as exc:  # a bug in one document's extraction must not end the build of the others
        return Outcome(job.source, error=_reason(exc, job.path))


def _extract(job: Job, validate: bool) -> Outcome:
    from policykg.extract import extract_file
    from policykg.graph.build import build_graph, document_iri
    from policykg.graph.serialize import serialize
    from policykg.render import json_text

    ex = extract_file(job.path)
    iri = document_iri(ex)
    graph = build_graph(ex)
    return Outcome(
        job.source,
        iri=iri,
        json_text=json_text(ex.to_json()),
        nquads=serialize({iri: graph}, "nq"),
        triples=len(graph),
        validation=validation_record(graph) if validate else None,
    )


def _validate_only(job: Job) -> Outcome:
    assert job.cached_graph is not None
    graph = read_graph(Path(job.cached_graph))
    return Outcome(job.source, validation=validation_record(graph), extracted=False)


def read_graph(path: Path) -> Any:
    """One document's N-Quads file as an rdflib Graph of its triples."""
    import pyoxigraph as ox
    from rdflib import Graph

    from policykg.graph.serialize import from_ox

    g = Graph()
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


def validation_record(graph: Any) -> dict[str, Any]:
    """The SHACL report of one document's graph as JSON-ready data (kept in the manifest)."""
    from policykg.graph.validate import validate

    report = validate(graph)
    return {"conforms": report.conforms, "findings": [f.__dict__ for f in report.findings]}


def _reason(exc: BaseException, path: str) -> str:
    from policykg.errors import PolicyKGError

    text = " ".join(str(exc).split())
    for name in (path, Path(path).name):  # the reader names the file; the summary names it already
        if text.startswith(f"{name}: "):
            text = text[len(name) + 2:]
            break
    if isinstance(exc, PolicyKGError):
        return text
    return f"internal error ({type(exc).__name__}: {text})"
