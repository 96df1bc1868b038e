"""CLI commands of the extraction stage: `extract` and `audit`."""

from __future__ import annotations

import argparse
import csv
import io
import json

from policykg.tabulate import format_table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="extract metadata, sections, tasks, departments and indicators as JSON",
        description="Read one document (UTF-8 or GB18030 text; '-' for standard input) and write its "
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
    write_output(args.output, dumps_json(extraction.to_json()))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from policykg.extract import extract_file
    from policykg.outputs import write_output

    extraction = extract_file(args.file)
    rows = audit_rows(extraction)
    if args.format == "json":
        out = dumps_json({"source": extraction.source, "unassigned_indicators": rows})
    elif args.format == "csv":
        out = rows_to_csv(rows)
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
            "target": target_text(ind),
            "year": ind.year,
            "where": f"{ind.owner} {titles.get(ind.owner, '')}".strip() if ind.owner else "",
            "suggested_task": f"{sug.task} {titles.get(sug.task, '')}".strip() if sug else None,
            "suggested_lead": sug.lead if sug else None,
            "score": round(sug.score, 2) if sug else None,
        })
    return rows


def target_text(ind) -> str:
    """`>= 80 家`, `2~3 个`, or the verbatim text of a qualitative target."""
    if ind.value is None:
        return ind.text
    value = _num(ind.value) + (f"~{_num(ind.value_max)}" if ind.value_max is not None else "")
    return " ".join(x for x in (ind.comparator if ind.value_max is None else "", value, ind.unit or "") if x)


def _num(v: float | int) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _audit_table(source: str, rows: list[dict[str, object]]) -> str:
    if not rows:
        return f"{source}: every target has an owner department.\n"
    header = ["id", "subject", "target", "year", "where", "suggested owner task", "its lead"]
    body = [[r["id"], r["subject"], r["target"], r["year"] or "", str(r["where"]).split(" ")[0],
             r["suggested_task"] or "—", r["suggested_lead"] or "—"] for r in rows]
    note = ("suggested owners are ranked by text similarity between the target and the task: "
            "suggestions, not facts")
    return f"{source}: {len(rows)} target(s) no department owns\n\n{format_table(header, body, 30)}\n\n{note}\n"


def rows_to_csv(rows: list[dict[str, object]], columns: list[str] = AUDIT_COLUMNS) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if r.get(k) is None else r.get(k) for k in columns})
    return buf.getvalue()


def dumps_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
