"""`policykg build DIR -o OUT`: every document of a directory into one dataset, one named graph per document.

Documents are extracted, built and validated in worker processes (graph/corpus_worker.py); the parent writes
what they return in the order of their file names, so the output does not depend on how many workers ran or
which finished first. OUT/manifest.json remembers each source file's digest, so a rebuild extracts only new
and changed files and drops the outputs of removed ones. A document that cannot be built is reported with
its reason (stderr and OUT/failures.json) and the others are built all the same.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykg.errors import InputError, OutputError, UsageError
from policykg.graph import manifest as mf
from policykg.graph.corpus_worker import Job, Outcome
from policykg.graph.manifest import Entry, Manifest

DOCUMENT_SUFFIXES = (".txt", ".html", ".htm", ".mht", ".mhtml", ".docx", ".pdf")
ONTOLOGY_FILE = "ontology.nq"
GRAPH_DIR = "documents"  # one N-Quads file per document: the cache of a rebuild, and ready for bulk loaders
RESERVED = {"manifest", "failures"}  # a document's JSON view must not overwrite these
AUDIT_FILE = "unassigned.csv"  # the audit, as `policykg unassigned OUT --format csv` prints it
OVERVIEW_FILE = "overview.html"  # documents and departments on one offline page (viz/overview.py)
PARTIAL_FAILURE = 2  # exit status: some documents failed, the others were built


@dataclass
class Options:
    formats: list[str]
    validate: bool = True
    workers: int = 0  # 0: one per core
    quiet: bool = False
    force: bool = False


@dataclass
class Summary:
    built: list[Entry] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file built in its place)
    extracted: int = 0
    reused: int = 0
    triples: int = 0
    validation: str | None = None
    timings: dict[str, float] = field(default_factory=dict)  # the workers' seconds per stage (POLICYKG_TIMINGS=1)


def add_arguments(p: Any) -> None:
    """The options of `policykg build` that only a directory uses."""
    p.add_argument("-j", "--workers", type=int, default=0, metavar="N",
                   help="worker processes for a directory (default: one per core; 1 runs in this process)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (it shows only on a terminal)")
    p.add_argument("--force", action="store_true",
                   help="re-extract every document of a directory, even those the manifest says are unchanged")


def build_directory(root: Path, out: Path, options: Options) -> int:
    """Build the corpus in root into out; 0 when every document was built, 2 when some failed."""
    if options.workers < 0:
        raise UsageError(f"--workers {options.workers}: give a number of processes (0: one per core)")
    _check_places(root, out)
    sources, skipped = discover(root, out)
    if not sources:
        raise InputError(f"{root}: no documents in this directory (looked for {' '.join(DOCUMENT_SUFFIXES)})")
    try:
        (out / GRAPH_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out}: cannot create directory ({exc.strerror or exc})") from None
    earlier = mf.load(out)
    summary = Summary()
    current = _collect(root, out, sources, None if options.force else earlier, options, summary)
    summary.built, summary.duplicates = _unique_documents(current)
    summary.failures = sorted((e.source, e.reason or "") for e in current.values() if e.status == "failed")
    outputs = _write_dataset(out, summary, options)
    _write_bookkeeping(out, current, skipped, outputs, summary, earlier)
    _report(out, skipped, summary)
    if not summary.built:
        raise InputError(f"{root}: no document could be built ({len(summary.failures)} failed; "
                         f"see {out / mf.FAILURES})")
    return PARTIAL_FAILURE if summary.failures else 0


def _check_places(root: Path, out: Path) -> None:
    r, o = root.resolve(), out.resolve()
    if o == r or o in r.parents:
        raise UsageError(f"{out}: the output directory must not be the input directory or contain it")


def discover(root: Path, out: Path) -> tuple[list[str], list[str]]:
    """(documents, other files) under root as sorted relative paths; hidden files and out are passed over."""
    found: list[str] = []
    others: list[str] = []
    out_resolved = out.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and (here / d).resolve() != out_resolved)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = (here / name).relative_to(root).as_posix()
            (found if Path(name).suffix.lower() in DOCUMENT_SUFFIXES else others).append(rel)
    return sorted(found), sorted(others)


def output_keys(sources: Iterable[str]) -> dict[str, str]:
    """The name each document's outputs take: its path without the suffix, unless two documents share it."""
    sources = list(sources)
    stems = Counter(_stem(s) for s in sources)
    return {s: _stem(s) if stems[_stem(s)] == 1 and _stem(s) not in RESERVED else s for s in sources}


def _stem(source: str) -> str:
    p = Path(source)
    return p.with_suffix("").as_posix()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _collect(root: Path, out: Path, sources: list[str], previous: Manifest | None, options: Options,
             summary: Summary) -> dict[str, Entry]:
    """An entry for every source: reused from the manifest when unchanged, else from a worker."""
    keys = output_keys(sources)
    entries: dict[str, Entry] = {}
    jobs: list[Job] = []
    for source in sources:
        try:
            digest = file_digest(root / source)
        except OSError as exc:
            entries[source] = Entry(source, "", "failed", f"cannot read ({exc.strerror or exc})")
            continue
        old = mf.reusable(previous, source, digest, out)
        if old is not None and (old.json, old.graph) in ((None, None), _names(keys[source])):
            entries[source] = old
            if old.status == "built" and ((options.validate and old.validation is None) or old.unassigned is None):
                jobs.append(Job(source, str(root / source), cached_graph=str(out / (old.graph or ""))))
            else:
                summary.reused += 1
            continue
        entries[source] = Entry(source, digest, "failed", "not processed")
        jobs.append(Job(source, str(root / source)))
    for outcome in _run(jobs, options):
        _take(out, entries[outcome.source], outcome, keys[outcome.source], summary)
    return entries


def _names(key: str) -> tuple[str, str]:
    return f"{key}.json", f"{GRAPH_DIR}/{key}.nq"


def _take(out: Path, entry: Entry, outcome: Outcome, key: str, summary: Summary) -> None:
    """Record a worker's outcome and write the document's own files."""
    from policykg.outputs import write_output

    summary.timings.update({k: summary.timings.get(k, 0.0) + v for k, v in outcome.timings.items()})
    if not outcome.extracted:  # a cached graph, validated and audited now
        if outcome.error is None:
            entry.validation = outcome.validation or entry.validation
            entry.unassigned = outcome.unassigned
        summary.reused += 1
        return
    summary.extracted += 1
    if outcome.error is not None:
        entry.status, entry.reason = "failed", outcome.error
        entry.iri = entry.json = entry.graph = entry.validation = entry.unassigned = None
        entry.triples = 0
        return
    json_name, graph_name = _names(key)
    for name, data in ((json_name, outcome.json_text or ""), (graph_name, outcome.nquads or b"")):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        write_output(str(out / name), data)
    entry.status, entry.reason = "built", None
    entry.iri, entry.json, entry.graph = outcome.iri, json_name, graph_name
    entry.triples, entry.validation, entry.unassigned = outcome.triples, outcome.validation, outcome.unassigned


def _run(jobs: list[Job], options: Options) -> Iterator[Outcome]:
    """Outcomes in completion order (the caller orders what it writes), behind a progress bar on a terminal."""
    from policykg.graph import corpus_worker

    workers = min(options.workers or os.cpu_count() or 1, len(jobs))
    bar = _progress(len(jobs), options.quiet)
    try:
        if workers <= 1:
            for job in jobs:
                yield corpus_worker.run(job, options.validate)
                bar.update(1)
            return
        yield from _pool(jobs, workers, options.validate, bar)
    finally:
        bar.close()


def _pool(jobs: list[Job], workers: int, validate: bool, bar: Any) -> Iterator[Outcome]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    from policykg.graph import corpus_worker

    # spawn, not fork: spaCy and pyoxigraph hold threads and native state that a fork would copy half-made
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    pending = iter(jobs)
    futures: dict[Any, Job] = {}
    try:
        # a few jobs in flight per worker, not all of them: a finished document's outcome (its N-Quads and
        # JSON) is written and dropped before the next is submitted, so the parent holds few at a time
        for job in itertools.islice(pending, 4 * workers):
            futures[pool.submit(corpus_worker.run, job, validate)] = job
        while futures:
            done, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in done:
                job = futures.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker process died (killed, out of memory): its documents fail
                    outcome = Outcome(job.source, error=f"worker process failed ({type(exc).__name__})")
                for following in itertools.islice(pending, 1):
                    futures[pool.submit(corpus_worker.run, following, validate)] = following
                bar.update(1)
                yield outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _progress(total: int, quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc="extracting", unit="doc", file=sys.stderr, leave=False,
                disable=quiet or total == 0 or not sys.stderr.isatty())


def _unique_documents(entries: dict[str, Entry]) -> tuple[list[Entry], list[tuple[str, str]]]:
    """Built entries, one per document IRI: the first file by name. A portal's HTML page and its DOCX or
    PDF attachment are one document (one 文号); the others are noted, not failed."""
    first: dict[str, str] = {}
    built: list[Entry] = []
    duplicates: list[tuple[str, str]] = []
    for source in sorted(entries):
        e = entries[source]
        if e.status != "built" or e.iri is None:
            continue
        if e.iri in first:
            duplicates.append((source, first[e.iri]))
            continue
        first[e.iri] = source
        built.append(e)
    return built, duplicates


def _write_dataset(out: Path, summary: Summary, options: Options) -> list[str]:
    """The merged outputs: the graph in each format asked for, the audit and the validation report; their
    names. graph.nq is the documents' own files in turn (canonical N-Quads sort by graph first), so the
    merged graph is never held in memory; the other formats, when asked for, read the documents back."""
    from policykg.outputs import write_output

    files = sorted(((e.iri or "", out / (e.graph or "")) for e in summary.built), key=lambda x: x[0])
    counter = TripleCounter(iri for iri, _ in files)

    def documents() -> Iterator[bytes]:  # each file read once: counted, and written into graph.nq when asked
        for iri, f in files:
            data = f.read_bytes()
            counter.add(iri, data)
            yield data

    written = []
    if "nq" in options.formats:
        write_output(str(out / "graph.nq"), documents())
    else:
        for _ in documents():
            pass
    others = [f for f in options.formats if f != "nq"]
    if others:
        from policykg.graph.corpus_worker import read_graph
        from policykg.graph.serialize import serialize_many

        documents = {iri: read_graph(f) for iri, f in files}
        for fmt, data in serialize_many(documents, others).items():
            write_output(str(out / f"graph.{fmt}"), data)
        del documents
    written += [f"graph.{fmt}" for fmt in options.formats]
    write_output(str(out / ONTOLOGY_FILE), ontology_nquads())
    written.append(ONTOLOGY_FILE)
    write_output(str(out / AUDIT_FILE), audit_csv(summary.built))
    written.append(AUDIT_FILE)
    write_output(str(out / OVERVIEW_FILE), overview_page(out, [iri for iri, _ in files], summary.built))
    written.append(OVERVIEW_FILE)
    summary.triples = counter.total(files)
    if options.validate and summary.built:
        report = combined_validation(summary.built)
        write_output(str(out / "validation.txt"), report.text())
        written.append("validation.txt")
        summary.validation = report.summary()
    return written


def overview_page(out: Path, order: list[str], entries: list[Entry]) -> str:
    """The corpus overview page from the documents' JSON views (read back, so unchanged documents count too),
    in the order of their IRIs like graph.nq."""
    import json

    from policykg.viz.overview import document_summary, overview_html

    by_iri = {e.iri: e for e in entries}
    summaries = []
    for iri in order:
        view = json.loads((out / (by_iri[iri].json or "")).read_text(encoding="utf-8"))
        summaries.append(document_summary(view))
    return overview_html(summaries)


def audit_csv(entries: list[Entry]) -> str:
    """OUTDIR/unassigned.csv: what `policykg unassigned OUTDIR --format csv` prints. The query orders its rows
    by document IRI, then by place in the text; each document's rows come in that order from its worker."""
    from policykg.graph.commands import UNASSIGNED_COLUMNS
    from policykg.render import render

    rows = [row for e in sorted(entries, key=lambda e: e.iri or "") for row in (e.unassigned or [])]
    return render(UNASSIGNED_COLUMNS, rows, "csv")


class TripleCounter:
    """The distinct triples of the documents' N-Quads, without parsing them: a line is a triple and its graph,
    and the writer gives a term the same bytes in every file. A triple about a document's own nodes (the
    document's IRI, or IRIs under it) is in that document's graph only; only the others (departments, subjects,
    periods, units: nodes whose IRI is their content) are compared across documents."""

    def __init__(self, documents: Iterable[str]) -> None:
        self.documents = {iri.encode("utf-8") for iri in documents}
        self.local = 0
        self.shared: set[bytes] = set()

    def add(self, iri: str, data: bytes) -> None:
        """One document's N-Quads."""
        own = (f"<{iri}>".encode(), f"<{iri}/".encode(), f"<{iri}#".encode())
        for line in data.splitlines():
            if not line:
                continue
            if line.startswith(own):
                self.local += 1
            else:
                self.shared.add(_triple(line))

    def total(self, files: list[tuple[str, Path]]) -> int:
        """The count, once every document was added; files are read again only for a document whose graph
        another document states something about (counted once, not twice)."""
        foreign: dict[bytes, set[bytes]] = {}
        for triple in self.shared:
            subject = triple[1:triple.index(b"> ")]
            for k in [len(subject)] + [i for i in range(len(subject)) if subject[i:i + 1] in (b"/", b"#")]:
                if subject[:k] in self.documents:
                    foreign.setdefault(subject[:k], set()).add(triple)
                    break
        shared = set(self.shared)
        for iri, f in files:
            mine = foreign.get(iri.encode("utf-8"))
            if mine:
                shared -= mine & {_triple(line) for line in f.read_bytes().splitlines() if line}
        return self.local + len(shared)


def _triple(line: bytes) -> bytes:
    """An N-Quads line without its graph term."""
    return line[:line.rindex(b" <", 0, len(line) - 2)]


def ontology_nquads() -> bytes:
    """The ontology in its named graph, beside graph.nq for a store's bulk loader (the questions read its
    code lists)."""
    import pyoxigraph as ox

    from policykg.graph.iris import ONTOLOGY
    from policykg.graph.store import ontology_path

    graph = ox.NamedNode(ONTOLOGY)
    triples = ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # its blank nodes get the same labels every time
    return ox.serialize(sorted(dataset, key=str), format=ox.RdfFormat.N_QUADS)


def combined_validation(entries: list[Entry]) -> Any:
    """The corpus's SHACL report: the union of its documents' findings. Documents share only nodes whose
    IRI is their content (departments, subjects, periods, units), so their graphs are validated one by one."""
    from policykg.graph.validate import Finding, Report

    findings = {Finding(**f) for e in entries for f in (e.validation or {}).get("findings", [])}
    conforms = all((e.validation or {}).get("conforms", True) for e in entries)
    ordered = sorted(findings, key=lambda f: (f.severity != "violation", f.focus, f.path, f.message, f.value))
    return Report(conforms, "ontology/shapes.ttl", ordered)


def _write_bookkeeping(out: Path, entries: dict[str, Entry], skipped: list[str], outputs: list[str],
                       summary: Summary, previous: Manifest | None) -> None:
    """failures.json and manifest.json (last: a build cut short leaves the old manifest, which then redoes
    the documents whose files were replaced), and away with the files of an earlier build no longer made."""
    from policykg.outputs import write_output
    from policykg.render import json_text

    failures = [{"source": s, "reason": r} for s, r in summary.failures]
    write_output(str(out / mf.FAILURES), json_text(failures))
    note = [{"source": s, "reason": f"not a document type ({Path(s).suffix or 'no extension'})"} for s in skipped]
    current = Manifest(documents=entries, skipped=note, outputs=[*outputs, mf.FAILURES],
                       duplicates=[{"source": s, "same_as": f} for s, f in summary.duplicates])
    if previous is not None:
        keep = {f for e in entries.values() for f in e.files()} | set(current.outputs) | {mf.MANIFEST}
        stale = {f for e in previous.documents.values() for f in e.files()} | set(previous.outputs)
        for name in sorted(stale - keep):
            (out / name).unlink(missing_ok=True)
    write_output(str(out / mf.MANIFEST), json_text(current.to_json()))


def _report(out: Path, skipped: list[str], summary: Summary) -> None:
    if skipped:
        kinds = sorted({Path(s).suffix.lower() or "no extension" for s in skipped})
        shown = ", ".join(skipped[:5]) + (", …" if len(skipped) > 5 else "")
        print(f"policykg: note: skipped {len(skipped)} file{'s' * (len(skipped) != 1)} that "
              f"{'are' if len(skipped) != 1 else 'is'} not a document ({', '.join(kinds)}): {shown}",
              file=sys.stderr)
    for source, kept in summary.duplicates:
        print(f"policykg: note: {source} is the same document as {kept}; built once, from {kept}", file=sys.stderr)
    for source, reason in summary.failures:
        print(f"policykg: failed: {source}: {reason}", file=sys.stderr)
    n, failed = len(summary.built), len(summary.failures)
    note = f"{n} document{'s' * (n != 1)}" + (f", {failed} failed" if failed else "")
    if summary.duplicates:
        note += f", {len(summary.duplicates)} duplicate{'s' * (len(summary.duplicates) != 1)}"
    note += f" ({summary.extracted} extracted, {summary.reused} unchanged)"
    note += f", {summary.triples} triples"
    if summary.validation:
        note += f"; validation {summary.validation} (validation.txt)"
    print(f"policykg: wrote {out}/ ({note})", file=sys.stderr)
    if os.environ.get("POLICYKG_TIMINGS") and summary.extracted:
        per = ", ".join(f"{k} {v * 1000 / summary.extracted:.1f}" for k, v in summary.timings.items())
        print(f"policykg: worker time per extracted document (ms): {per}", file=sys.stderr)
