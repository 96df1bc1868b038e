#!/usr/bin/env python3
"""policykg's benchmarks: one sub-command per figure of bench/README.md, results appended to bench/out/results.json.

Every run records the machine, its load average before and after, and the exact command; corpora come from
bench/generate.py (seed 1 unless told) and are generated on first use under bench/out/.

    .venv/bin/python bench/bench.py all                 # everything, at the sizes of the README
    .venv/bin/python bench/bench.py extract -n 1000     # one figure
    .venv/bin/python bench/bench.py --help              # the list

Timings are wall-clock (time.perf_counter); repeated measurements report the median and the minimum. Peak memory
is the largest sum of the resident set sizes of a process and all its children, sampled every 20 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pickle
import platform
import pstats
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib.util import find_spec
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = OUT / "results.json"
PYTHON = sys.executable
POLICYKG = str(Path(sys.executable).with_name("policykg"))

sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (bench/generate.py, beside this file)

# ----------------------------------------------------------------------------------------------------------
# helpers: corpora, caches, machine, timing, memory, results
# ----------------------------------------------------------------------------------------------------------


def corpus(n: int, seed: int = 1) -> Path:
    """bench/out/corpus-N-sSEED, generated when missing (document i depends only on seed and i)."""
    d = OUT / f"corpus-{n}-s{seed}"
    if not (d / "truth.json").exists() or len(list(d.glob("*.txt"))) != n:
        generate.write_corpus(n, seed, d, truth=True)
    return d


def documents(n: int, seed: int = 1) -> list[Path]:
    return sorted(corpus(n, seed).glob("*.txt"))


def extractions(n: int, seed: int = 1) -> list[Any]:
    """The extraction records of a corpus, cached as a pickle (the extractor's output, not a timing)."""
    cache = OUT / "cache" / f"extractions-{n}-s{seed}.pickle"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    from policykg.extract import extract_file

    records = [extract_file(str(p)) for p in documents(n, seed)]
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(records))
    return records


def machine() -> dict[str, Any]:
    import psutil

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    versions = {}
    for name in ("spacy", "rdflib", "pyoxigraph", "pyshacl", "networkx", "pyvis"):
        try:
            from importlib.metadata import version

            versions[name] = version(name)
        except Exception:  # a missing package is just not listed
            pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "os": platform.platform(), "versions": versions}


def load() -> float:
    return round(os.getloadavg()[0], 2)


def record(name: str, data: dict[str, Any]) -> None:
    """Merge one benchmark's figures into bench/out/results.json and print them."""
    OUT.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data = {"command": "python bench/bench.py " + " ".join(sys.argv[1:]), "when": time.strftime("%Y-%m-%d %H:%M"),
            **data}
    results[name] = data
    results["machine"] = machine()
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps({name: data}, ensure_ascii=False, indent=1))


def timed(fn: Callable[[], Any], repeat: int = 5, budget: float = 30.0, warmup: int = 1) -> dict[str, Any]:
    """Run fn up to `repeat` times (fewer when they exceed `budget` seconds): median and minimum, in ms."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < repeat and (not times or time.perf_counter() - start < budget):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return {"median_ms": round(statistics.median(times), 3), "min_ms": round(min(times), 3), "runs": len(times)}


class PeakRSS:
    """The largest total RSS of this process and its children while the block runs (sampled every 20 ms)."""

    def __init__(self, pid: int | None = None) -> None:
        import psutil

        self.process = psutil.Process(pid or os.getpid())
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                total = 0
                for p in procs:
                    with suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.02)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return round(self.peak / 2**20, 1)


@contextmanager
def stopwatch(into: dict[str, float], key: str) -> Iterator[None]:
    t = time.perf_counter()
    yield
    into[key] = round(time.perf_counter() - t, 3)


def run_command(argv: list[str], timeout: float | None = None) -> dict[str, Any]:
    """A subprocess: its wall time, exit status, peak RSS (with its children) and last stderr line; stopped
    (with its children) after timeout seconds."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    timed_out = False
    with PeakRSS(proc.pid) as peak:
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, 15)
            _, err = proc.communicate()
    elapsed = time.perf_counter() - t
    lines = err.decode("utf-8", "replace").strip().splitlines()
    out = {"seconds": round(elapsed, 2), "status": proc.returncode, "peak_rss_mib": peak.mib,
           "stderr": lines[-1] if lines else ""}
    if timed_out:
        out["timed_out"] = True
    return out


def have(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x]


# ----------------------------------------------------------------------------------------------------------
# extraction
# ----------------------------------------------------------------------------------------------------------


def _extract_chunk(paths: list[str]) -> tuple[int, int, int]:
    """(documents, characters, failures) of extracting paths in this process (a pool worker)."""
    from policykg.errors import PolicyKGError
    from policykg.extract import extract_file
    from policykg.extract.pipeline import build_pipeline

    build_pipeline()
    chars = fails = 0
    for p in paths:
        try:
            chars += len(extract_file(p).text)
        except PolicyKGError:
            fails += 1
    return len(paths), chars, fails


def bench_extract(args: argparse.Namespace) -> None:
    """Extraction throughput in 1 and 2 processes: documents/s and characters/s (pipeline start excluded)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from policykg.extract.pipeline import build_pipeline

    paths = [str(p) for p in documents(args.n, args.seed)]
    out: dict[str, Any] = {"documents": len(paths), "load_before": load()}
    t = time.perf_counter()
    build_pipeline()
    out["pipeline_start_s"] = round(time.perf_counter() - t, 3)
    for workers in sizes(args.workers):
        t = time.perf_counter()
        if workers == 1:
            n, chars, fails = _extract_chunk(paths)
        else:
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
                list(pool.map(_extract_chunk, [[]] * workers))  # start the workers and their pipelines first
                t = time.perf_counter()
                chunks = [paths[i::workers * 8] for i in range(workers * 8)]
                parts = list(pool.map(_extract_chunk, chunks))
            n, chars, fails = (sum(x[i] for x in parts) for i in range(3))
        dt = time.perf_counter() - t
        out[f"workers_{workers}"] = {"seconds": round(dt, 2), "docs_per_s": round(n / dt, 1),
                                     "chars_per_s": round(chars / dt), "ms_per_doc": round(dt / n * 1000, 2),
                                     "failures": fails, "characters": chars}
    out["load_after"] = load()
    record(f"extract_{args.n}", out)


def bench_profile(args: argparse.Namespace) -> None:
    """Where extraction time goes: reading and decoding, the tokenizer, each pipeline component; cProfile."""
    from policykg.extract import extract_text
    from policykg.extract.pipeline import build_pipeline
    from policykg.extract.reader import read_source

    paths = [str(p) for p in documents(args.n, args.seed)]
    nlp = build_pipeline()
    texts = []
    spent: dict[str, float] = {"read+decode": 0.0, "tokenizer": 0.0}
    for p in paths:
        t = time.perf_counter()
        texts.append(read_source(p))
        spent["read+decode"] += time.perf_counter() - t
    for text, name in texts[:20]:  # warm the caches (department table, patterns) before timing
        extract_text(text, name)
    for text, _ in texts:  # what Language.__call__ does, one step at a time
        t = time.perf_counter()
        doc = nlp.make_doc(text)
        spent["tokenizer"] += time.perf_counter() - t
        for name, proc in nlp.pipeline:
            t = time.perf_counter()
            doc = proc(doc)
            spent[name] = spent.get(name, 0.0) + time.perf_counter() - t
    total = sum(spent.values())
    shares = {k: {"seconds": round(v, 3), "share": round(v / total, 3)} for k, v in spent.items()}

    prof = cProfile.Profile()
    prof.enable()
    for text, name in texts[: args.profile_docs]:
        extract_text(text, name)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(25)
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(40)
    (OUT / "profile-extract.txt").write_text(buf.getvalue())
    record(f"profile_{args.n}", {"documents": len(paths), "seconds": round(total, 2), "components": shares,
                                 "cprofile": "bench/out/profile-extract.txt", "load_before": load()})


# ----------------------------------------------------------------------------------------------------------
# graph build, serialisation
# ----------------------------------------------------------------------------------------------------------


def bench_build(args: argparse.Namespace) -> None:
    """Records -> RDF: rdflib Graphs (graph/build.py) and the plain triple set (graph/triples.py); serialisations."""
    from policykg.graph.build import build_documents, document_iri
    from policykg.graph.serialize import serialize
    from policykg.graph.triples import build_triples

    for n in sizes(args.sizes):
        exs = extractions(n, args.seed)
        out: dict[str, Any] = {"documents": len(exs), "load_before": load()}
        gc.collect()
        t = time.perf_counter()
        docs = build_documents(exs)
        out["rdflib_graphs_s"] = round(time.perf_counter() - t, 2)
        out["triples"] = sum(len(g) for g in docs.values())
        out["triples_per_doc"] = round(out["triples"] / len(exs))
        del docs
        gc.collect()
        t = time.perf_counter()
        sets = {document_iri(ex): build_triples(ex) for ex in exs}
        out["triple_sets_s"] = round(time.perf_counter() - t, 2)
        formats = args.formats.split(",") if n <= args.all_formats_up_to else ["nq"]
        for fmt in formats:
            gc.collect()
            t = time.perf_counter()
            data = serialize(sets, fmt)
            out[f"serialize_{fmt}"] = {"seconds": round(time.perf_counter() - t, 2), "mib": round(len(data) / 2**20, 1)}
            del data
        t = time.perf_counter()
        for iri, s in sets.items():
            serialize({iri: s}, "nq")
        out["serialize_nq_per_document_s"] = round(time.perf_counter() - t, 2)
        record(f"build_{n}", out)


# ----------------------------------------------------------------------------------------------------------
# SPARQL: rdflib's default store against Oxigraph
# ----------------------------------------------------------------------------------------------------------


def _needles(exs: list[Any]) -> dict[str, str]:
    """A task path shared by many documents, a title fragment of one task, a department of many documents."""
    from collections import Counter

    paths = Counter(t.path for ex in exs for t in ex.tasks if t.lead)
    common_path = paths.most_common(1)[0][0]
    rare_path = min((p for p, k in paths.items() if k == 1 and "（" in p), default=common_path)
    rare = sorted((t.title for ex in exs for t in ex.tasks if t.lead and len(t.title) >= 6),
                  key=lambda s: (len(s), s))
    titles = Counter(t.title for ex in exs for t in ex.tasks)
    fragment = next(s for s in rare if titles[s] == 1)[:6]
    depts = Counter(d.canonical for ex in exs for d in ex.departments if d.canonical and not d.collective)
    return {"path": common_path, "rare_path": rare_path, "fragment": fragment,
            "department": depts.most_common(1)[0][0]}


def bench_sparql(args: argparse.Namespace) -> None:
    """who-owns, tasks-of and the audit (unassigned) on the same merged graph in rdflib's default (Memory) store
    and in Oxigraph (graph/store.py), in the same run."""
    from rdflib import Graph

    from policykg.graph import fast_queries, queries
    from policykg.graph.build import build_documents
    from policykg.graph.serialize import serialize
    from policykg.graph.store import load_memory, open_store

    last: dict[str, Any] = {}

    def measure(key: str, fn: Callable[[], Any], repeat: int, budget: float, warm: int) -> dict[str, Any]:
        def call() -> None:
            last[key] = fn()
        return timed(call, repeat, budget, warm)

    for n in sizes(args.sizes):
        exs = extractions(n, args.seed)
        needles = _needles(exs)
        nq = OUT / "cache" / f"graph-{n}-s{args.seed}.nq"
        if not nq.exists():
            nq.write_bytes(serialize(build_documents(exs), "nq"))
        out: dict[str, Any] = {"documents": n, "needles": needles, "load_before": load()}
        stores: dict[str, Graph] = {}
        t = time.perf_counter()
        stores["oxigraph"] = open_store(str(nq))
        out["oxigraph_load_s"] = round(time.perf_counter() - t, 2)
        out["oxigraph_triples"] = len(stores["oxigraph"])
        if not args.skip_rdflib:
            t = time.perf_counter()
            memory = load_memory(str(nq))
            memory.parse(str(ROOT / "ontology" / "qb.ttl"), format="turtle")  # as open_store has it
            stores["rdflib"] = memory
            out["rdflib_load_s"] = round(time.perf_counter() - t, 2)
            out["rdflib_triples"] = len(memory)
        for name, g in stores.items():
            dept = queries.find_department(g, needles["department"]).iri
            budget = args.budget if name == "rdflib" else 10.0
            repeat = args.repeat if name == "oxigraph" else max(3, args.repeat // 5)
            warm = 1 if name == "oxigraph" else 0  # rdflib's first run is as slow as the others'

            path, rare, fragment = needles["path"], needles["rare_path"], needles["fragment"]
            few = max(3, repeat // 4)
            for key, fn, runs in (("who_owns_path", lambda g=g, x=path: queries.who_owns(g, x), repeat),
                                  ("who_owns_rare_path", lambda g=g, x=rare: queries.who_owns(g, x), repeat),
                                  ("who_owns_fragment", lambda g=g, x=fragment: queries.who_owns(g, x), repeat),
                                  ("tasks_of", lambda g=g, d=dept: queries.tasks_of(g, d), repeat),
                                  ("unassigned", lambda g=g: queries.unassigned(g), few)):
                out[f"{name}_{key}"] = measure(key, fn, runs, budget, warm)
            out[f"{name}_who_owns_path"]["tasks"] = len(last["who_owns_path"])
            out[f"{name}_who_owns_rare_path"]["tasks"] = len(last["who_owns_rare_path"])
            if name == "oxigraph":  # the index-driven who-owns of graph/fast_queries.py, on the same store
                for key, x in (("path", path), ("rare_path", rare)):
                    out[f"oxigraph_indexed_who_owns_{key}"] = measure(
                        key, lambda g=g, x=x: fast_queries.who_owns(g, x), repeat, budget, warm)
                    out[f"oxigraph_indexed_who_owns_{key}"]["same_answer"] = (
                        last[key] == queries.who_owns(g, x))
            out[f"{name}_unassigned"]["targets"] = len(last["unassigned"])
        if "rdflib" in stores:
            for q in ("who_owns_path", "who_owns_rare_path", "who_owns_fragment", "tasks_of", "unassigned"):
                out[f"ratio_{q}"] = round(out[f"rdflib_{q}"]["median_ms"] / out[f"oxigraph_{q}"]["median_ms"], 1)
            for q in ("path", "rare_path"):
                out[f"ratio_indexed_who_owns_{q}"] = round(
                    out[f"rdflib_who_owns_{q}"]["median_ms"] / out[f"oxigraph_indexed_who_owns_{q}"]["median_ms"], 1)
        record(f"sparql_{n}", out)
        del stores
        gc.collect()


# ----------------------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------------------


def bench_validate(args: argparse.Namespace) -> None:
    """pyshacl (graph/validate.py) against the shapes compiled to SPARQL on Oxigraph (graph/fast_validate.py):
    merged graphs of N documents, and per document; the two reports are compared where both ran."""
    from rdflib import Graph

    from policykg.graph.build import document_iri
    from policykg.graph.fast_validate import Validator
    from policykg.graph.serialize import serialize
    from policykg.graph.triples import build_triples
    from policykg.graph.validate import validate

    t = time.perf_counter()
    validator = Validator()
    compile_s = round(time.perf_counter() - t, 3)
    for n in sorted(set(sizes(args.pyshacl_sizes)) | set(sizes(args.fast_sizes))):
        exs = extractions(max(n, 1), args.seed)[:n]
        sets = {document_iri(ex): build_triples(ex) for ex in exs}
        out: dict[str, Any] = {"documents": n, "triples": sum(len(s) for s in sets.values()),
                               "compile_s": compile_s, "load_before": load()}
        fast = None
        if n in sizes(args.fast_sizes):
            t = time.perf_counter()
            prepared = validator.prepare(sets)
            out["fast_load_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            fast = validator.run(prepared)
            out["fast_checks_s"] = round(time.perf_counter() - t, 2)
            out["fast_summary"] = fast.summary()
            del prepared
            nq_dir = OUT / "cache" / f"nq-{n}-s{args.seed}"
            if not nq_dir.exists():
                nq_dir.mkdir(parents=True)
                for k, (iri, s) in enumerate(sets.items()):
                    (nq_dir / f"{k:05d}.nq").write_bytes(serialize({iri: s}, "nq"))
            t = time.perf_counter()
            prepared = validator.prepare_nquads(sorted(nq_dir.glob("*.nq")))
            out["fast_nquads_load_s"] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            from_files = validator.run(prepared)
            out["fast_nquads_checks_s"] = round(time.perf_counter() - t, 2)
            out["fast_nquads_same_report"] = from_files == fast
            del prepared
            t = time.perf_counter()
            for iri, s in list(sets.items())[: args.per_document]:
                validator.validate({iri: s})
            k = min(len(sets), args.per_document)
            out["fast_per_document_ms"] = round((time.perf_counter() - t) / max(k, 1) * 1000, 1)
        if n in sizes(args.pyshacl_sizes):
            merged = Graph()
            for s in sets.values():
                for triple in s:
                    merged.add(triple)
            t = time.perf_counter()
            report = validate(merged)
            out["pyshacl_s"] = round(time.perf_counter() - t, 2)
            out["pyshacl_summary"] = report.summary()
            if fast is not None:
                out["same_report"] = report == fast
        out["load_after"] = load()
        record(f"validate_{n}", out)


# ----------------------------------------------------------------------------------------------------------
# NetworkX analyses, HTML
# ----------------------------------------------------------------------------------------------------------


def _oxigraph(n: int, seed: int) -> Any:
    from policykg.graph.build import build_documents
    from policykg.graph.serialize import serialize
    from policykg.graph.store import open_store

    nq = OUT / "cache" / f"graph-{n}-s{seed}.nq"
    if not nq.exists():
        nq.parent.mkdir(parents=True, exist_ok=True)
        nq.write_bytes(serialize(build_documents(extractions(n, seed)), "nq"))
    return open_store(str(nq))


def _analysis_steps(G: Any) -> list[tuple[str, Callable[[], Any]]]:
    """The analyses that exist in this checkout, each as a call on the projection G."""
    steps: list[tuple[str, Callable[[], Any]]] = []
    if have("policykg.graph.network"):
        from policykg.graph import network

        C = network.co_responsibility_graph(G)
        sample = 200 if C.number_of_nodes() > 200 else None
        steps += [("co_responsibility_graph", lambda: network.co_responsibility_graph(G)),
                  ("communities", lambda: network.communities(C)),
                  ("centrality", lambda: network.centrality(C, sample=sample))]
    if have("policykg.graph.ownership"):
        from policykg.graph import ownership

        steps += [("workload", lambda: ownership.workload(G)), ("lead_counts", lambda: ownership.lead_counts(G))]
    if have("policykg.graph.risks"):
        from policykg.graph import risks

        steps += [("diffuse_tasks", lambda: risks.diffuse_tasks(G)),
                  ("unreachable_indicators", lambda: risks.unreachable_indicators(G)),
                  ("unowned_goals", lambda: risks.unowned_goals(G))]
    if have("policykg.graph.table"):
        from policykg.graph import table

        steps += [("task_rows", lambda: table.task_rows(G))]
    if have("policykg.graph.report"):
        from policykg.graph import report

        steps += [("build_report", lambda: report.build_report(G))]
    return steps


def bench_analyses(args: argparse.Namespace) -> None:
    """The projection to NetworkX and the analyses (graph/projection.py, network.py, ownership.py, risks.py,
    report.py without its plots, table.py), on 100- and 1,000-document graphs."""
    if not have("policykg.graph.projection"):
        record("analyses", {"missing": "graph/projection.py"})
        return
    from policykg.graph.projection import project

    for n in sizes(args.sizes):
        store = _oxigraph(n, args.seed)
        out: dict[str, Any] = {"documents": n, "load_before": load()}
        t = time.perf_counter()
        G = project(store)
        out["project_s"] = round(time.perf_counter() - t, 2)
        out["nodes"], out["edges"] = G.number_of_nodes(), G.number_of_edges()
        steps = _analysis_steps(G)
        for name, fn in steps:
            t = time.perf_counter()
            fn()
            out[f"{name}_s"] = round(time.perf_counter() - t, 3)
        record(f"analyses_{n}", out)


def bench_html(args: argparse.Namespace) -> None:
    """viz/html.py: the interactive page of a 100- and a 1,000-document graph, its time and size."""
    if not have("policykg.viz.html"):
        record("html", {"missing": "viz/html.py"})
        return
    from policykg.graph.projection import project
    from policykg.viz.html import render_html

    for n in sizes(args.sizes):
        G = project(_oxigraph(n, args.seed))
        t = time.perf_counter()
        page = render_html(G)
        dt = time.perf_counter() - t
        record(f"html_{n}", {"documents": n, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                             "seconds": round(dt, 2), "mib": round(len(page.encode("utf-8")) / 2**20, 1),
                             "load_before": load()})


# ----------------------------------------------------------------------------------------------------------
# the whole job, CLI start
# ----------------------------------------------------------------------------------------------------------


def bench_e2e(args: argparse.Namespace) -> None:
    """N documents -> validated graph + audit + HTML through the CLI, as a user runs it: one
    `policykg build DIR -o OUT` writes graph.nq, validation.txt, unassigned.csv and overview.html. Then, as
    reference figures, the questions asked of the built corpus afterwards (each opens the 1,000-document graph):
    `policykg unassigned OUT` and `policykg who-owns OUT PATH`. Wall time and peak memory (process tree) of each."""
    import shutil

    src = corpus(args.n, args.seed)
    target = OUT / f"e2e-{args.n}"
    shutil.rmtree(target, ignore_errors=True)
    out: dict[str, Any] = {"documents": args.n, "workers": args.workers, "load_before": load()}
    build = [POLICYKG, "build", str(src), "-o", str(target), "-q", "--workers", str(args.workers)]
    if args.formats:
        build += ["--formats", args.formats]
    steps = [("build", build)]
    if not args.job_only:
        steps += [("audit_again", [POLICYKG, "unassigned", str(target), "--format", "csv"]),
                  ("who_owns", [POLICYKG, "who-owns", str(target), args.path, "--format", "csv"])]
    for name, argv in steps:
        res = run_command(argv, args.timeout)
        res["argv"] = " ".join(Path(a).name if a == POLICYKG else a for a in argv)
        out[name] = res
    out["job_s"] = out["build"]["seconds"]
    out["job_peak_rss_mib"] = out["build"]["peak_rss_mib"]
    out["outputs"] = sorted(p.name for p in target.iterdir() if p.is_file() and not p.name.startswith("gen-"))
    out["load_after"] = load()
    record(f"e2e_{args.n}", out)


def _pipeline_chunk(job: tuple[list[str], str]) -> list[tuple[str, str, int]]:
    """A worker of bench_pipeline: extract, build the triple set, write the document's N-Quads and JSON view."""
    from policykg.errors import PolicyKGError
    from policykg.extract import extract_file
    from policykg.graph.build import document_iri
    from policykg.graph.serialize import serialize
    from policykg.graph.triples import build_triples
    from policykg.render import json_text

    paths, out = job
    done = []
    for p in paths:
        try:
            ex = extract_file(p)
        except PolicyKGError:
            continue
        iri = document_iri(ex)
        stem = Path(p).stem
        (Path(out) / "documents" / f"{stem}.nq").write_bytes(serialize({iri: build_triples(ex)}, "nq"))
        (Path(out) / f"{stem}.json").write_text(json_text(ex.to_json()), encoding="utf-8")
        done.append((iri, stem, len(ex.text)))
    return done


def bench_pipeline(args: argparse.Namespace) -> None:
    """The whole job with the fast pieces (graph/triples.py, graph/fast_validate.py), composed here: N documents
    -> per-document N-Quads and JSON (2 worker processes) -> graph.nq -> SHACL report of the merged graph ->
    audit (SPARQL) -> interactive HTML. What `policykg build` + `unassigned` + `html` could cost."""
    import multiprocessing
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    paths = [str(p) for p in documents(args.n, args.seed)]
    target = OUT / f"pipeline-{args.n}"
    shutil.rmtree(target, ignore_errors=True)
    (target / "documents").mkdir(parents=True)
    stages: dict[str, float] = {}
    out: dict[str, Any] = {"documents": args.n, "workers": args.workers, "load_before": load()}
    total = time.perf_counter()
    with PeakRSS() as peak:
        with stopwatch(stages, "extract_build_serialize"):
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(args.workers, mp_context=ctx) as pool:
                chunks = [(paths[i::args.workers * 8], str(target)) for i in range(args.workers * 8)]
                built = sorted(x for part in pool.map(_pipeline_chunk, chunks) for x in part)
        with stopwatch(stages, "write_graph_nq"):
            files = [target / "documents" / f"{stem}.nq" for _, stem, _ in built]
            with (target / "graph.nq").open("wb") as fh:
                for f in files:
                    fh.write(f.read_bytes())
        with stopwatch(stages, "validate"):
            from policykg.graph.fast_validate import Validator

            validator = Validator()
            report = validator.run(validator.prepare_nquads(files))
            (target / "validation.txt").write_text(report.text(), encoding="utf-8")
        with stopwatch(stages, "open_store"):
            from policykg.graph.store import open_store

            store = open_store(str(target / "graph.nq"))
        with stopwatch(stages, "audit"):
            from policykg.graph import queries

            audit = queries.unassigned(store)
        if have("policykg.viz.html"):
            from policykg.graph.projection import project
            from policykg.viz.html import render_html

            with stopwatch(stages, "project"):
                G = project(store)
            with stopwatch(stages, "html"):
                page = render_html(G)
                (target / "graph.html").write_text(page, encoding="utf-8")
            out["html_mib"] = round(len(page.encode("utf-8")) / 2**20, 1)
    out["total_s"] = round(time.perf_counter() - total, 2)
    out["stages_s"] = stages
    out["peak_rss_mib"] = peak.mib
    out["validation"] = report.summary()
    out["unassigned"] = len(audit)
    out["load_after"] = load()
    record(f"pipeline_{args.n}", out)


def bench_cli(args: argparse.Namespace) -> None:
    """`policykg --help` wall time (a fresh interpreter each run), and the slowest imports it pays for."""
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run([POLICYKG, "--help"], stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - t) * 1000)
    bare = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run([PYTHON, "-c", "pass"], check=True)
        bare.append((time.perf_counter() - t) * 1000)
    imp = subprocess.run([PYTHON, "-X", "importtime", "-c", "from policykg.cli import build_parser; build_parser()"],
                         capture_output=True, text=True)
    rows = []
    for line in imp.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    heavy = [name.strip() for _, name in sorted(rows, reverse=True)[:8]]
    spacy_loaded = any(name.strip() in ("spacy", "rdflib", "pyshacl", "networkx") for _, name in rows)
    record("cli", {"help_median_ms": round(statistics.median(times), 1), "help_min_ms": round(min(times), 1),
                   "python_startup_median_ms": round(statistics.median(bare), 1), "runs": args.runs,
                   "heavy_library_imported": spacy_loaded, "slowest_imports_cumulative": heavy,
                   "load_before": load()})


def bench_all(args: argparse.Namespace) -> None:
    ns = argparse.Namespace
    bench_cli(ns(runs=20))
    bench_extract(ns(n=1000, seed=args.seed, workers="1,2"))
    bench_profile(ns(n=200, seed=args.seed, profile_docs=100))
    bench_build(ns(sizes="100,1000", seed=args.seed, formats="nq,nt,ttl,trig,jsonld", all_formats_up_to=100))
    bench_sparql(ns(sizes="100,1000", seed=args.seed, repeat=20, budget=120.0, skip_rdflib=False))
    bench_validate(ns(pyshacl_sizes="1,10,25", fast_sizes="1,10,25,100,1000", seed=args.seed, per_document=100))
    bench_analyses(ns(sizes="100,1000", seed=args.seed))
    bench_html(ns(sizes="100,1000", seed=args.seed))
    bench_pipeline(ns(n=1000, seed=args.seed, workers=2))
    bench_e2e(ns(n=1000, seed=args.seed, workers=2, formats="", timeout=1800.0, job_only=False, path="三/（一）/1"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default: 1)")
    sub = parser.add_subparsers(dest="bench", metavar="BENCH", required=True)

    def add(name: str, fn: Callable[[argparse.Namespace], None]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=(fn.__doc__ or "").split("\n")[0], description=fn.__doc__)
        p.set_defaults(func=fn)
        return p

    p = add("extract", bench_extract)
    p.add_argument("-n", type=int, default=1000, help="documents (default: 1000)")
    p.add_argument("--workers", default="1,2", help="process counts to try (default: 1,2)")
    p = add("profile", bench_profile)
    p.add_argument("-n", type=int, default=200, help="documents timed by component (default: 200)")
    p.add_argument("--profile-docs", type=int, default=100, help="documents under cProfile (default: 100)")
    p = add("build", bench_build)
    p.add_argument("--sizes", default="100,1000", help="corpus sizes (default: 100,1000)")
    p.add_argument("--formats", default="nq,nt,ttl,trig,jsonld", help="formats to serialise")
    p.add_argument("--all-formats-up-to", type=int, default=100,
                   help="serialise every format only up to this size; above it N-Quads only (default: 100)")
    p = add("sparql", bench_sparql)
    p.add_argument("--sizes", default="100,1000", help="corpus sizes (default: 100,1000)")
    p.add_argument("--repeat", type=int, default=20, help="runs per query on Oxigraph (rdflib: a fifth)")
    p.add_argument("--budget", type=float, default=120.0, help="seconds per rdflib query before stopping repeats")
    p.add_argument("--skip-rdflib", action="store_true", help="Oxigraph only")
    p = add("validate", bench_validate)
    p.add_argument("--pyshacl-sizes", default="1,10,25", help="merged graphs pyshacl validates (default: 1,10,25)")
    p.add_argument("--fast-sizes", default="1,10,25,100,1000", help="merged graphs the SPARQL checks validate")
    p.add_argument("--per-document", type=int, default=100, help="documents validated one by one (default: 100)")
    p = add("analyses", bench_analyses)
    p.add_argument("--sizes", default="100,1000", help="corpus sizes (default: 100,1000)")
    p = add("html", bench_html)
    p.add_argument("--sizes", default="100,1000", help="corpus sizes (default: 100,1000)")
    p = add("e2e", bench_e2e)
    p.add_argument("-n", type=int, default=1000, help="documents (default: 1000)")
    p.add_argument("--workers", type=int, default=2, help="policykg build --workers (default: 2)")
    p.add_argument("--formats", default="", help="policykg build --formats (default: the command's default)")
    p.add_argument("--timeout", type=float, default=1800.0, help="stop a step after this many seconds (1800)")
    p.add_argument("--job-only", action="store_true", help="only the build, not the questions asked afterwards")
    p.add_argument("--path", default="三/（一）/1", help="the path who-owns asks for (default: 三/（一）/1)")
    p = add("pipeline", bench_pipeline)
    p.add_argument("-n", type=int, default=1000, help="documents (default: 1000)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default: 2)")
    p = add("cli", bench_cli)
    p.add_argument("--runs", type=int, default=20, help="runs (default: 20)")
    add("all", bench_all)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
