"""One document of a corpus build, as a worker process runs it: extract, build its named graph, validate, audit.

The graph is a plain set of triples (graph/triples.py), validated with the shapes compiled to SPARQL
(graph/fast_validate.py: the same findings as pyshacl, one Validator per process) in a small Oxigraph store of
this document and the ontology; the same store then answers the audit (`policykg unassigned`'s rows for this
document), which the manifest keeps so that a rebuild need not recompute unchanged documents' rows.

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
    unassigned: list[list[str]] | None = None  # the audit's rows for this document (graph.commands.unassigned_rows)
    extracted: bool = field(default=True)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for bench/ and profiling


def run(job: Job, validate: bool) -> Outcome:
    """Never raises for a bad document: its failure is the outcome, reported by the parent."""
    try:
        if job.cached_graph is not None:
            return _validate_only(job, validate)
        return _extract(job, validate)
    except Exception as exc:  # a bug in one document's extraction must not end the build of the others
        return Outcome(job.source, error=_reason(exc, job.path))


def _extract(job: Job, validate: bool) -> Outcome:
    from policykg.extract import extract_file
    from policykg.graph.build import document_iri
    from policykg.graph.serialize import nquads
    from policykg.graph.triples import build_triples
    from policykg.render import json_text

    clock = _Clock()
    ex = extract_file(job.path)
    iri = document_iri(ex)
    json_view = json_text(ex.to_json())
    clock.lap("extract")
    triples = build_triples(ex)
    clock.lap("triples")
    data = nquads({iri: triples})  # serialize({iri: triples}, "nq"), the same bytes
    clock.lap("nquads")
    validation, audit = check(data, validate, clock)
    return Outcome(job.source, iri=iri, json_text=json_view, nquads=data, triples=len(triples),
                   validation=validation, unassigned=audit, timings=clock.times)


def _validate_only(job: Job, validate: bool) -> Outcome:
    """A graph built earlier (its N-Quads file): its validation record and its audit rows, computed now."""
    assert job.cached_graph is not None
    clock = _Clock()
    validation, audit = check(Path(job.cached_graph).read_bytes(), validate, clock)
    return Outcome(job.source, validation=validation, unassigned=audit, extracted=False, timings=clock.times)


def check(data: bytes, validate: bool, clock: _Clock | None = None) -> tuple[dict[str, Any] | None, list[list[str]]]:
    """(validation record or None, audit rows) of one document's graph (its N-Quads), in one Oxigraph store:
    the document's named graph and the ontology's, as graph/fast_validate.py validates a corpus's files."""
    clock = clock or _Clock()
    prepared = _validator().prepare_nquads_data([data])
    clock.lap("load")
    record = None
    if validate:
        report = _validator().run(prepared)
        record = {"conforms": report.conforms, "findings": [f.__dict__ for f in report.findings]}
        clock.lap("validate")
    audit = audit_rows(prepared.store)
    clock.lap("audit")
    return record, audit


def audit_rows(store: Any) -> list[list[str]]:
    """`policykg unassigned`'s rows (cells as its CSV writes them) for the one document in store (beside the
    ontology), which the queries then see as graph/store.py presents every graph."""
    from policykg.graph import queries
    from policykg.graph.commands import unassigned_rows
    from policykg.graph.store import as_graph
    from policykg.render import cell

    _, rows = unassigned_rows(queries.unassigned(as_graph(store)))
    return [[cell(v) for v in row] for row in rows]


_VALIDATOR: list[Any] = []  # the compiled shapes, once per process


def _validator() -> Any:
    if not _VALIDATOR:
        from policykg.graph.fast_validate import Validator

        _VALIDATOR.append(Validator())
    return _VALIDATOR[0]


class _Clock:
    def __init__(self) -> None:
        import time

        self._now = time.perf_counter
        self._last = self._now()
        self.times: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = self._now()
        self.times[name] = self.times.get(name, 0.0) + now - self._last
        self._last = now


def read_graph(path: Path) -> Any:
    """One document's N-Quads file as an rdflib Graph of its triples."""
    import pyoxigraph as ox
    from rdflib import Graph

    from policykg.graph.serialize import from_ox

    g = Graph()
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    return g


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
