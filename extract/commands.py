"""CLI commands of the extraction stage: `extract` and `audit`."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from policykg import render


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="extract metadata, sections, tasks, departments and indicators as JSON",
        description="Read one document (text in UTF-8 or GB18030, a saved HTML page, DOCX or PDF with a text "
        "layer; '-' for standard input) and write its "
        "extraction as JSON: metadata, sections, tasks with lead and co-responsible departments, "
        "departments, indicators and the audit.",
    )
    p.add_argument("file", help="document path, or - for standard input")
    p.add_argument("--format", choices=["json"], default="json", help="output format (default: json)")
    p.add_argument("-o", "--output", help="output file (default: standard output); written atomically")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "audit",
        help="list the targets (indicators) that no department owns, with suggested owner tasks",
        description="Extract one document and list every quantitative target that sits in no task with a "
        "responsibility clause and is not the same target as one that does. Suggested owner tasks are "
        "ranked by text similarity: they are suggestions, not facts.",
    )
    p.add_argument("file", help="document path, or - for standard input")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table",
                   help="table for people (default), json or csv for machines")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.set_defaults(func=cmd_audit)


def cmd_extract(args: argparse.Namespace) -> int:
    from policykg.extract import extract_file
    from policykg.outputs import write_output

    extraction = extract_file(args.file)
    write_output(args.output, render.json_text(extraction.to_json()))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from policykg.extract import extract_file
    from policykg.outputs import write_output

    extraction = extract_file(args.file)
    rows = audit_rows(extraction)
    if args.format == "json":
        out = render.json_text({"source": extraction.source, "unassigned_indicators": rows})
    elif args.format == "csv":
        out = render.render(AUDIT_COLUMNS, [[r[c] for c in AUDIT_COLUMNS] for r in rows], "csv")
    else:
        out = _audit_table(extraction.source, rows)
    write_output(args.output, out)
    return 0


AUDIT_COLUMNS = ["id", "subject", "target", "year", "where", "suggested_task", "suggested_lead", "score"]


def audit_rows(extraction) -> list[dict[str, object]]:
    """One row per unassigned indicator, with its best suggested owner task (if any)."""
    titles = {s.path: s.title for s in extraction.sections}
    best: dict[str, object] = {}
    for s in extraction.suggestions:
        best.setdefault(s.indicator, s)
    rows = []
    by_id = {i.id: i for i in extraction.indicators}
    for ind_id in extraction.unassigned:
        ind = by_id[ind_id]
        sug = best.get(ind_id)
        rows.append({
            "id": ind.id,
            "subject": ind.subject,
            "target": render.target_text(asdict(ind) | {"year": None}),
            "year": ind.year,
            "where": f"{ind.owner} {titles.get(ind.owner, '')}".strip() if ind.owner else "",
            "suggested_task": f"{sug.task} {titles.get(sug.task, '')}".strip() if sug else None,
            "suggested_lead": sug.lead if sug else None,
            "score": round(sug.score, 2) if sug else None,
        })
    return rows


def _audit_table(source: str, rows: list[dict[str, object]]) -> str:
    if not rows:
        return f"{source}: every target has an owner department.\n"
    header = ["id", "subject", "target", "year", "where", "suggested owner task", "its lead"]
    body = [[r["id"], r["subject"], r["target"], r["year"], str(r["where"]).split(" ")[0],
             r["suggested_task"] or "—", r["suggested_lead"] or "—"] for r in rows]
    note = ("suggested owners are ranked by text similarity between the target and the task: "
            "suggestions, not facts")
    table = render.table(header, body, clipped=("subject", "suggested owner task"))
    return f"{source}: {len(rows)} target(s) no department owns\n\n{table}\n{note}\n"
