"""The accountability questions, asked in SPARQL (graph/queries/*.rq) through rdflib's API.

Queries run on whatever store the rdflib object has; graph/store.py gives them an Oxigraph store, so they run
natively there. Arguments are passed as bound variables, never pasted into the query text.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from policykg.errors import UsageError


def query_text(name: str) -> str:
    """The text of a shipped query (graph/queries/NAME.rq)."""
    return resources.files("policykg.graph").joinpath("queries", f"{name}.rq").read_text(encoding="utf-8")


def run(data: Graph, query: str, **bindings: Node) -> Result:
    """Run SPARQL text with bound variables; a malformed query is the user's error, reported in one line."""
    try:
        return data.query(query, initBindings=bindings)
    except SyntaxError as exc:
        raise UsageError(f"malformed SPARQL query: {' '.join(str(exc).split())}") from None
    except Exception as exc:
        if type(exc).__name__ in ("ParseException", "ParseSyntaxException"):  # rdflib's own parser
            raise UsageError(f"malformed SPARQL query: {' '.join(str(exc).split())}") from None
        raise


def rows(result: Result) -> list[dict[str, Any]]:
    """SELECT solutions as dicts of Python values (None when unbound)."""
    names = [str(v) for v in result.vars or []]
    return [{n: value(row[i]) for i, n in enumerate(names)} for row in result]


def value(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        v = term.toPython()
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() and "." not in str(term) else float(v)
        return v if isinstance(v, (bool, int, float)) else str(term)
    return str(term)


def fold(text: str) -> str:
    """What a user types, compared as the graph's keys are: NFKC, trimmed, brackets half-width."""
    return unicodedata.normalize("NFKC", text).strip()


@dataclass
class TaskOwners:
    document: str
    document_id: str | None
    task: str
    path: str
    title: str | None
    lead: str | None = None
    lead_label: str | None = None
    co: list[str] = field(default_factory=list)
    co_labels: list[str] = field(default_factory=list)


def who_owns(data: Graph, needle: str) -> list[TaskOwners]:
    """Tasks whose path is needle, else whose title contains it, with their lead and co departments.

    On an Oxigraph-backed graph a path is looked up by index (graph/fast_queries.py: the same answers, in
    milliseconds rather than a scan of the store); a title fragment, or any other graph, runs who-owns.rq."""
    from policykg.graph import fast_queries  # it builds on this module

    if fast_queries.is_oxigraph(data):
        found = fast_queries.indexed_paths(data, needle)
        if found is not None:
            return found
    return shipped_who_owns(data, needle)


def shipped_who_owns(data: Graph, needle: str) -> list[TaskOwners]:
    """who_owns by the shipped query (graph/queries/who-owns.rq), on any graph."""
    folded = fold(needle)
    if not folded:
        raise UsageError("empty task: give a path such as 三/（一）/1 or a fragment of a task's title")
    found = rows(run(data, query_text("who-owns"), needle=Literal(folded), fragment=Literal(folded)))
    if not found and needle.strip() != folded:  # a title fragment typed with the document's own full-width forms
        found = rows(run(data, query_text("who-owns"), needle=Literal(folded), fragment=Literal(needle.strip())))
    if any(r["exact"] for r in found):
        found = [r for r in found if r["exact"]]
    tasks: dict[str, TaskOwners] = {}
    for r in found:
        t = tasks.get(r["task"])
        if t is None:
            t = tasks[r["task"]] = TaskOwners(r["doc"], r["docId"], r["task"], r["path"], r["title"])
        if r["role"] == "lead":
            t.lead, t.lead_label = r["writtenAs"], r["label"]
        elif r["role"] == "co" and r["writtenAs"] not in t.co:
            t.co.append(r["writtenAs"])
            t.co_labels.append(r["label"])
    return list(tasks.values())


@dataclass
class Department:
    iri: str
    label: str


def find_department(data: Graph, needle: str) -> Department:
    """The one department a name stands for: exactly one of its labels, else the only one containing it."""
    folded = fold(needle)
    if not folded:
        raise UsageError("empty department name")
    found = rows(run(data, query_text("find-department"), needle=Literal(folded)))
    exact = {r["department"]: r["label"] for r in found if r["exact"]}
    candidates = exact or {r["department"]: r["label"] for r in found}
    if len(candidates) == 1:
        iri, label = next(iter(candidates.items()))
        return Department(iri, label)
    if not candidates:
        raise UsageError(f"unknown department '{needle}': no department in the graph has that name or alias")
    names = sorted(set(candidates.values()))
    shown = "、".join(names[:8]) + ("…" if len(names) > 8 else "")
    raise UsageError(f"ambiguous department '{needle}': {len(candidates)} departments match ({shown}); "
                     "give the full name")


@dataclass
class TaskOfDepartment:
    role: str
    document: str
    document_id: str | None
    task: str
    path: str
    title: str | None
    indicators: list[dict[str, Any]] = field(default_factory=list)


def tasks_of(data: Graph, department: str) -> list[TaskOfDepartment]:
    """The tasks a department (IRI) leads and co-operates on, each with the indicators stated inside it.

    On an Oxigraph-backed graph the department's tasks are looked up first (graph/fast_queries.py: the same rows
    as tasks-of.rq, which Oxigraph evaluates for every indicator of the store); elsewhere tasks-of.rq runs."""
    from policykg.graph import fast_queries  # it builds on this module

    found = fast_queries.indexed_tasks_of(data, department) if fast_queries.is_oxigraph(data) else None
    return _tasks_of_rows(found if found is not None else shipped_tasks_of_rows(data, department))


def shipped_tasks_of_rows(data: Graph, department: str) -> list[dict[str, Any]]:
    """The rows of the shipped query (graph/queries/tasks-of.rq), on any graph."""
    return rows(run(data, query_text("tasks-of"), department=URIRef(department)))


def _tasks_of_rows(found: list[dict[str, Any]]) -> list[TaskOfDepartment]:
    out: dict[tuple[str, str], TaskOfDepartment] = {}
    for r in found:
        key = (r["task"], r["role"])
        t = out.get(key)
        if t is None:
            t = out[key] = TaskOfDepartment(r["role"], r["doc"], r["docId"], r["task"], r["path"], r["title"])
        if r["indicatorId"] is not None and all(i["id"] != r["indicatorId"] for i in t.indicators):
            t.indicators.append(_indicator(r, r["indicatorId"]))
    return list(out.values())


def unassigned(data: Graph) -> list[dict[str, Any]]:
    """The audit: indicators no department owns, derived from the graph alone."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in rows(run(data, query_text("unassigned"))):
        if r["indicator"] in seen:
            continue
        seen.add(r["indicator"])
        item = _indicator(r, r["id"])
        item.update(document=r["doc"], document_id=r["docId"], owner=r["ownerPath"], text=r["text"])
        out.append(item)
    return out




def _indicator(r: dict[str, Any], ident: str) -> dict[str, Any]:
    unit = r.get("unit")
    return {
        "id": ident,
        "subject": r.get("subject"),
        "value": r.get("value"),
        "value_max": r.get("valueMax"),
        "unit": "" if unit == "1" else unit,
        "comparator": r.get("comparator"),
        "year": r.get("year"),
        "per_year": r.get("perYear"),
    }
