"""CLI commands of the graph stage (registered into `policykg`'s parser).

rdflib, pyoxigraph and pyshacl are imported inside the commands so that `policykg --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from policykg.graph import corpus
from policykg.render import target_text

GRAPH_HELP = "a build output directory or a graph file (.ttl .nt .nq .trig .jsonld)"
FORMAT_HELP = "table for people (default), csv or json for programs"


def register(sub: argparse._SubParsersAction) -> None:
    """Add this stage's sub-commands to the top-level parser."""
    p = sub.add_parser(
        "build", help="build the knowledge graph of documents: RDF, JSON views and a validation report",
        description="Extract each document (a file, or every document of a directory and its sub-directories: "
                    ".txt .html .htm .mht .mhtml .docx .pdf) and write to "
                    "OUTDIR: the graph as graph.ttl, graph.nt, graph.nq, graph.trig (one named graph per "
                    "document) and graph.jsonld, the JSON view of each document (NAME.json) and the SHACL "
                    "validation report (validation.txt). The same input gives byte-identical files. A directory "
                    "is extracted in parallel, each document's graph validated and audited on its own; it "
                    "writes graph.nq (unless --formats asks for more), documents/NAME.nq per document, the "
                    "audit (unassigned.csv, as `policykg unassigned OUTDIR --format csv` prints it), a page of "
                    "the corpus's documents and departments (overview.html) and OUTDIR/manifest.json, which "
                    "lets a rebuild extract only new and changed files; a document "
                    "that cannot be read is reported (and listed in OUTDIR/failures.json) and the others are "
                    "built.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  policykg build examples/suzhou-2017-173.txt -o out/\n"
               "  policykg build corpus/ -o out/ --workers 4\n\n"
               "exit codes: 0 built, 2 some documents of a directory failed (the others were built), "
               "64 bad arguments,\n65 unreadable input (for a directory: no document could be built), "
               "73 cannot write",
    )
    p.add_argument("input", metavar="FILE|DIR", help="a document, or a directory of documents")
    p.add_argument("-o", "--output", metavar="OUTDIR", required=True, help="output directory (created if missing)")
    p.add_argument("--formats", default=None, metavar="LIST",
                   help="comma-separated graph formats among ttl, nt, nq, trig, jsonld (default: all five for "
                        "a document; nq for a directory, which is what triple stores' bulk loaders take)")
    p.add_argument("--no-validate", action="store_true", help="skip SHACL validation (no validation.txt)")
    corpus.add_arguments(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "validate", help="check a graph against the project's SHACL shapes",
        description="Validate GRAPH with pyshacl against ontology/shapes.ttl (the ontology supplies the class "
                    "hierarchy; nothing is fetched). Prints the report; exit status 0 when the graph "
                    "conforms, 3 when it has violations (warnings alone do not fail).",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("--shapes", metavar="FILE", help="another SHACL shapes file (Turtle)")
    p.add_argument("--format", choices=["text", "json"], default="text", help="report format (default: text)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "who-owns", help="the lead and co-operating departments of a task",
        description="Find tasks by numbering path (三/（一）/1; full- or half-width brackets) or, failing "
                    "that, by a fragment of their title, and list each task's lead and co-operating "
                    "departments as the responsibility clause writes them.",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("task", metavar="TASK", help="a task path, or a fragment of a task title")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_who_owns)

    p = sub.add_parser(
        "tasks-of", help="the tasks a department leads and co-operates on, with their indicators",
        description="Find a department by any of its names (canonical name, name as written, abbreviation; "
                    "a unique fragment also works) and list the tasks it leads and co-operates on in every "
                    "document of the graph, with the indicators stated in each task.",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("department", metavar="DEPT", help="a department name or alias, e.g. 市质监局 or 质监局")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_tasks_of)

    p = sub.add_parser(
        "unassigned", help="the audit: quantitative targets no department owns (derived by SPARQL)",
        description="List the quantitative targets whose section is not a task with a responsibility clause "
                    "and that are not the same target as one that is; derived from the graph by "
                    "graph/queries/unassigned.rq.",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.set_defaults(func=cmd_unassigned)

    p = sub.add_parser(
        "query", help="run any SPARQL query on a graph",
        description="Run a SPARQL query (text, or a .rq file) on GRAPH with the ontology loaded beside it "
                    "(its named graphs are queried as one; the prefixes pkg: qb: org: prov: skos: dcterms: "
                    "oa: rdf: rdfs: owl: xsd: need no declaration). SELECT gives rows, ASK true or false, "
                    "CONSTRUCT and DESCRIBE Turtle (table) or rows of s, p, o (csv, json).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  policykg query out/ 'SELECT ?t ?title WHERE { ?t a pkg:Task ; dcterms:title ?title }'\n"
               "  policykg query out/ graph/queries/unassigned.rq --format csv",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP + ", or a SPARQL endpoint URL (none with --endpoint)")
    p.add_argument("query", metavar="QUERY|FILE", nargs="?", help="SPARQL text, or a file holding it")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help=FORMAT_HELP)
    p.add_argument("--endpoint", metavar="URL", help="query this SPARQL endpoint instead of a GRAPH")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser(
        "report", help="an accountability report: workload, coordination network, risks, with plots",
        description="Analyse GRAPH with NetworkX (on a projection of the RDF) and write a readable report: who "
                    "leads and co-operates on how much, the co-responsibility network's communities and "
                    "centres, tasks with many co-responsible departments, departments that never lead, goals "
                    "and targets nobody owns, and (for a corpus) each department across documents. Markdown "
                    "writes its plots beside the report as NAME-workload.png and NAME-network.png; HTML is "
                    "one self-contained page.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  policykg report out/ -o out/report.md\n  policykg report out/ -o out/report.html",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the report (.md or .html); '-' writes Markdown without plots to stdout")
    p.add_argument("--format", choices=["markdown", "html"], help="default: from the output's suffix")
    p.add_argument("--threshold", type=int, default=6, metavar="N",
                   help="a task with N or more co-responsible departments is diffuse (default: 6)")
    p.add_argument("--lead-weight", type=float, default=2.0, metavar="W", help="workload of a led task (default: 2)")
    p.add_argument("--co-weight", type=float, default=1.0, metavar="W",
                   help="workload of a task co-operated on (default: 1)")
    p.add_argument("--top", type=int, default=15, metavar="N", help="departments in the workload plot (default: 15)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "table", help="the task breakdown table (任务分解表) as XLSX or CSV",
        description="Write one row per task of GRAPH: numbering path, task, lead and co-responsible departments "
                    "(as written), indicators (value, unit, year), deadline and the source text. XLSX has a "
                    "second sheet of the targets no department owns; CSV is UTF-8 with a byte-order mark so "
                    "Excel and WPS read the Chinese.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  policykg table out/ -o out/tasks.xlsx\n  policykg table out/ -o tasks.csv",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("-o", "--output", metavar="FILE", required=True,
                   help="the table (.xlsx or .csv); '-' writes CSV to stdout")
    p.add_argument("--format", choices=["xlsx", "csv"], help="default: from the output's suffix")
    p.set_defaults(func=cmd_table)

    p = sub.add_parser(
        "html", help="an interactive page of the graph: one HTML file that works offline",
        description="Write GRAPH as one self-contained HTML page (vis-network inlined, no external resource): "
                    "departments, tasks, goals and indicators, who owns what, the targets nobody owns, and the "
                    "sentence each fact came from. Search, filter by type or department, show only the audit. "
                    "The same graph gives the same bytes.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example:\n  policykg html out/ -o out/graph.html",
    )
    p.add_argument("graph", metavar="GRAPH", help=GRAPH_HELP)
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the page to write ('-': standard output)")
    p.add_argument("--title", metavar="TEXT", help="the page's heading (default: the document's title and number)")
    p.set_defaults(func=cmd_html)


def cmd_build(args: argparse.Namespace) -> int:
    from policykg.errors import OutputError, UsageError
    from policykg.extract import extract_file
    from policykg.graph.build import build_documents
    from policykg.graph.serialize import FORMATS, quads_of, serialize_many
    from policykg.outputs import write_output
    from policykg.render import json_text

    is_dir = Path(args.input).is_dir()
    given = args.formats if args.formats is not None else ("nq" if is_dir else ",".join(FORMATS))
    formats = [f.strip() for f in given.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"--formats: unknown format {', '.join(unknown) or '(none)'}; "
                         f"choose among {', '.join(FORMATS)}")
    if is_dir:
        return corpus.build_directory(Path(args.input), Path(args.output), corpus.Options(
            formats, not args.no_validate, args.workers, args.quiet, args.force))
    sources = _documents(args.input)
    extractions = [extract_file(str(s)) for s in sources]
    out = Path(args.output)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{args.output}: cannot create directory ({exc.strerror or exc})") from None
    documents = build_documents(extractions)
    for fmt, data in serialize_many(documents, formats).items():
        write_output(str(out / f"graph.{fmt}"), data)
    for src, ex in zip(sources, extractions, strict=True):
        write_output(str(out / f"{src.stem}.json"), json_text(ex.to_json()))
    triples = len({(s, p, o) for s, p, o, _ in quads_of(documents)})
    note = f"{len(extractions)} document{'s' * (len(extractions) != 1)}, {triples} triples"
    if not args.no_validate:
        from rdflib import Graph

        from policykg.graph.validate import validate

        merged = Graph()
        for s, p, o, _ in quads_of(documents):
            merged.add((s, p, o))
        report = validate(merged)
        write_output(str(out / "validation.txt"), report.text())
        note += f"; validation {report.summary()} (validation.txt)"
    print(f"policykg: wrote {out}/ ({note})", file=sys.stderr)
    return 0


def _documents(path: str) -> list[Path]:
    from policykg.errors import InputError

    p = Path(path)
    if p.is_dir():
        found = sorted(x for x in p.iterdir() if x.suffix == ".txt" and x.is_file())
        if not found:
            raise InputError(f"{path}: no .txt documents in this directory")
        return found
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    return [p]


def cmd_validate(args: argparse.Namespace) -> int:
    from policykg.graph.store import load_memory
    from policykg.graph.validate import validate
    from policykg.outputs import write_output
    from policykg.render import json_text

    report = validate(load_memory(args.graph), args.shapes)
    write_output(None, json_text(report.to_json()) if args.format == "json" else report.text())
    return 0 if report.conforms else 3


def cmd_who_owns(args: argparse.Namespace) -> int:
    from policykg.errors import UsageError
    from policykg.graph import queries
    from policykg.graph.store import open_store

    data = open_store(args.graph)
    found = queries.who_owns(data, args.task)
    if not found:
        raise UsageError(f"unknown task '{args.task}': no task has that path or a title containing it "
                         "(try a path such as 三/（一）/1)")
    columns = ["document", "task", "title", "lead", "co"]
    rows = [[_doc(t.document_id, t.document), t.path, t.title, t.lead or "—", t.co] for t in found]
    records = [{"document": t.document_id, "document_iri": t.document, "task": t.path, "title": t.title,
                "lead": t.lead, "lead_department": t.lead_label, "co": t.co, "co_departments": t.co_labels}
               for t in found]
    _print(columns, rows, args.format, records)
    return 0


def cmd_tasks_of(args: argparse.Namespace) -> int:
    from policykg.graph import queries
    from policykg.graph.store import open_store

    data = open_store(args.graph)
    dept = queries.find_department(data, args.department)
    tasks = queries.tasks_of(data, dept.iri)
    columns = ["role", "document", "task", "title", "indicator", "subject", "target"]
    rows: list[list[Any]] = []
    for t in tasks:  # one line per indicator; in the table the task's cells are not repeated
        task_cells = [t.role, _doc(t.document_id, t.document), t.path, t.title]
        for n, i in enumerate(t.indicators or [None]):
            cells = task_cells if n == 0 or args.format != "table" else [""] * len(task_cells)
            rows.append(cells + ([i["id"], i["subject"], target_text(i)] if i else ["", "", ""]))
    records = [{"department": dept.label, "department_iri": dept.iri, "role": t.role, "document": t.document_id,
                "task": t.path, "title": t.title, "indicators": t.indicators} for t in tasks]
    lead = sum(1 for t in tasks if t.role == "lead")
    _print(columns, rows, args.format, records,
           f"{dept.label}: leads {lead} task{'s' * (lead != 1)}, co-operates on {len(tasks) - lead}")
    return 0


def cmd_unassigned(args: argparse.Namespace) -> int:
    from policykg.graph import queries
    from policykg.graph.store import open_store

    found = queries.unassigned(open_store(args.graph))
    columns, rows = unassigned_rows(found)
    if args.format == "table":  # the verbatim text is for csv and json; the table stays one screen wide
        columns, rows = columns[:-1], [r[:-1] for r in rows]
    _print(columns, rows, args.format, found,
           f"{len(found)} quantitative target{'s' * (len(found) != 1)} no department owns")
    return 0


UNASSIGNED_COLUMNS = ["document", "id", "owner", "subject", "target", "text"]


def unassigned_rows(found: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The columns and rows `policykg unassigned` prints for queries.unassigned's targets (also written by a
    corpus build as OUTDIR/unassigned.csv)."""
    rows = [[_doc(i["document_id"], i["document"]), i["id"], i["owner"], i["subject"],
             target_text(i), i["text"]] for i in found]
    return list(UNASSIGNED_COLUMNS), rows


def cmd_query(args: argparse.Namespace) -> int:
    from policykg.errors import InputError, UsageError
    from policykg.graph import queries
    from policykg.graph.serialize import serialize
    from policykg.graph.store import open_store
    from policykg.outputs import write_output
    from policykg.render import render

    if args.endpoint:  # QUERY is then the one positional argument
        if args.query is not None:
            raise UsageError("give either GRAPH or --endpoint URL, not both")
        args.graph, args.query = args.endpoint, args.graph
    elif args.query is None:
        raise UsageError("no QUERY: give SPARQL text or a .rq file after GRAPH")
    text = args.query
    p = Path(text)
    if "\n" not in text and len(text) < 4096 and p.suffix in (".rq", ".sparql", ".txt") and not p.is_file():
        raise InputError(f"{text}: no such query file")
    if "\n" not in text and len(text) < 4096 and p.is_file():
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"{args.query}: cannot read ({exc})") from None
    data = open_store(args.graph)
    result = queries.run(data, text)
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        word = "true" if answer else "false"
        write_output(None, f'{{"boolean": {word}}}\n' if args.format == "json" else f"{word}\n")
        return 0
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        graph = result.graph
        if args.format == "table":
            write_output(None, serialize(graph, "ttl"))
            return 0
        triples = sorted(([str(s), str(p_), queries.value(o)] for s, p_, o in graph),
                         key=lambda t: (t[0], t[1], str(t[2])))
        write_output(None, render(["subject", "predicate", "object"], triples, args.format))
        return 0
    from rdflib import URIRef

    columns = [str(v) for v in result.vars or []]
    solutions = list(result)
    records = [{c: queries.value(row[i]) for i, c in enumerate(columns)} for row in solutions]
    if args.format == "table":  # IRIs shortened for reading; csv and json keep them whole
        rows = [[_short(str(t)) if isinstance(t, URIRef) else queries.value(t) for t in row] for row in solutions]
    else:
        rows = [[r[c] for c in columns] for r in records]
    write_output(None, render(columns, rows, args.format, records if args.format == "json" else None))
    return 0


def cmd_html(args: argparse.Namespace) -> int:
    from policykg.graph.projection import project
    from policykg.graph.store import open_store
    from policykg.viz.html import summary, write_html

    graph = project(open_store(args.graph))
    write_html(graph, args.output, args.title)
    if args.output != "-":
        print(f"policykg: wrote {args.output} ({summary(graph)})", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import warnings

    from policykg.errors import UsageError
    from policykg.graph import plots, report
    from policykg.outputs import write_output

    fmt = args.format or _format_of(args.output, {".md": "markdown", ".markdown": "markdown", ".html": "html",
                                                  ".htm": "html"}, "markdown")
    if args.threshold < 1 or args.top < 1:
        raise UsageError("--threshold and --top must be at least 1")
    if args.lead_weight < 0 or args.co_weight < 0:
        raise UsageError("--lead-weight and --co-weight cannot be negative")
    if fmt == "html" and args.output == "-":
        raise UsageError("give the HTML report a file: -o report.html")
    G = _projection(args.graph)
    built = report.build_report(G, {"lead": args.lead_weight, "co": args.co_weight}, args.threshold, args.top)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", plots.FontWarning)
        pngs = report.render_pngs(built) if args.output != "-" else {}
    for message in dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, plots.FontWarning)):
        print(f"policykg: warning: {message}", file=sys.stderr)
    if fmt == "html":
        write_output(args.output, report.html_page(built, pngs))
    elif args.output == "-":
        write_output(None, report.markdown(built))
    else:
        out = Path(args.output)
        images = {name: f"{out.stem}-{name}.png" for name in pngs}
        for name, data in pngs.items():
            write_output(str(out.with_name(images[name])), data)
        write_output(args.output, report.markdown(built, images))
    if args.output != "-":
        print(f"policykg: wrote {args.output}" + (f" and {len(pngs)} plots beside it" if fmt == "markdown" else ""),
              file=sys.stderr)
    return 0


def cmd_table(args: argparse.Namespace) -> int:
    from policykg.errors import UsageError
    from policykg.graph import table
    from policykg.outputs import write_output

    fmt = args.format or _format_of(args.output, {".xlsx": "xlsx", ".csv": "csv"}, "csv")
    if fmt == "xlsx" and args.output == "-":
        raise UsageError("give the XLSX table a file: -o tasks.xlsx")
    G = _projection(args.graph)
    write_output(None if args.output == "-" else args.output, table.xlsx_bytes(G) if fmt == "xlsx"
                 else table.csv_bytes(G))
    if args.output != "-":
        print(f"policykg: wrote {args.output} ({len(table.task_rows(G))} tasks)", file=sys.stderr)
    return 0


def _format_of(output: str, by_suffix: dict[str, str], stdout_format: str) -> str:
    from policykg.errors import UsageError

    if output == "-":
        return stdout_format
    fmt = by_suffix.get(Path(output).suffix.lower())
    if fmt is None:
        raise UsageError(f"{output}: cannot tell the format from the suffix (use {', '.join(by_suffix)}, "
                         "or --format)")
    return fmt


def _projection(graph: str):
    """The NetworkX projection of GRAPH; a graph without a policy document is not an accountability graph."""
    from policykg.errors import InputError
    from policykg.graph.projection import nodes_of_kind, project
    from policykg.graph.store import open_store

    G = project(open_store(graph))
    if not nodes_of_kind(G, "document"):
        raise InputError(f"{graph}: no policy document in this graph (write one with: policykg build DOCUMENT -o DIR)")
    return G


def _doc(identifier: str | None, iri: str) -> str:
    return identifier or _short(iri)


def _short(iri: str | None) -> str:
    from policykg.graph.iris import display

    return display(iri) if iri else ""


def _print(columns: list[str], rows: list[list[Any]], fmt: str, records: list[dict[str, Any]],
           caption: str | None = None) -> None:
    from policykg.outputs import write_output
    from policykg.render import render

    if fmt == "table" and "document" in columns and len({r[columns.index("document")] for r in rows} - {""}) <= 1:
        at = columns.index("document")  # one document: its column would only repeat
        columns, rows = columns[:at] + columns[at + 1:], [r[:at] + r[at + 1:] for r in rows]
    text = render(columns, rows, fmt, records)
    write_output(None, f"{caption}\n\n{text}" if caption and fmt == "table" else text)
