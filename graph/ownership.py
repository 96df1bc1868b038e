"""Ownership: who owns a task, what a department answers for, and how the work is spread.

Plain functions over the projection (graph/projection.py); nodes are returned in the projection's order
(documents, then reading order), so answers read like the document.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping

import networkx as nx

from policykg.graph.projection import nodes_of_kind

ROLES = ("lead", "co")
DEFAULT_WEIGHTS: Mapping[str, float] = {"lead": 2.0, "co": 1.0}


def owners(G: nx.MultiDiGraph, task: str) -> dict[str, list[str]]:
    """The departments responsible for a task by role: {"lead": [...], "co": [...]}, in the clause's order
    (a task has at most one lead)."""
    out: dict[str, list[str]] = {role: [] for role in ROLES}
    edges = sorted(((d, k, pos if pos is not None else 1 << 30) for _, d, k, pos in
                    G.out_edges(task, keys=True, data="position") if k in ROLES), key=lambda e: (e[2], e[0]))
    for department, role, _ in edges:
        out[role].append(department)
    return out


def responsible_departments(G: nx.MultiDiGraph, task: str) -> list[str]:
    """Every department responsible for a task, the lead first."""
    o = owners(G, task)
    return list(dict.fromkeys(o["lead"] + o["co"]))


def tasks_of(G: nx.MultiDiGraph, department: str, documents: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The tasks a department leads and co-operates on: {"lead": [...], "co": [...]} in reading order;
    only those of the given documents when documents is given."""
    keep = None if documents is None else set(documents)
    by_role: dict[str, set[str]] = {role: set() for role in ROLES}
    for task, _, role in G.in_edges(department, keys=True):
        if role in by_role and (keep is None or G.nodes[task].get("document") in keep):
            by_role[role].add(task)
    order = reading_order(G)
    return {role: sorted(tasks, key=order.__getitem__) for role, tasks in by_role.items()}


def sub_sections(G: nx.MultiDiGraph, node: str) -> list[str]:
    """The sections below a section or document (every level), in reading order."""
    below: set[str] = set()
    stack = [node]
    while stack:
        for child, _, k in G.in_edges(stack.pop(), keys=True):
            if k == "part_of" and child not in below:
                below.add(child)
                stack.append(child)
    order = reading_order(G)
    return sorted(below, key=order.__getitem__)


def indicators_of(G: nx.MultiDiGraph, section: str, descend: bool = True) -> list[str]:
    """The indicators stated in a section (a task, a goal …) and, when descend, in its sub-sections, as
    graph/queries/tasks-of.rq lists them; in reading order."""
    sections = [section, *sub_sections(G, section)] if descend else [section]
    found = {i for s in sections for _, i, k in G.out_edges(s, keys=True) if k == "has_indicator"}
    order = reading_order(G)
    return sorted(found, key=order.__getitem__)


def portfolio(G: nx.MultiDiGraph, department: str, documents: Iterable[str] | None = None) -> dict[str, list[str]]:
    """What a department answers for: the tasks it leads ("lead"), those it co-operates on ("co") and the
    indicators stated inside them ("indicators", each once); restricted to some documents when given."""
    tasks = tasks_of(G, department, documents)
    indicators = {i for role in ROLES for t in tasks[role] for i in indicators_of(G, t)}
    order = reading_order(G)
    return {**tasks, "indicators": sorted(indicators, key=order.__getitem__)}


def workload(G: nx.MultiDiGraph, weights: Mapping[str, float] = DEFAULT_WEIGHTS) -> dict[str, float]:
    """Each responsible department's weighted number of tasks, largest first: a task counts once per
    department, with the weight of its strongest role (lead before co). Ties go to the department leading more
    tasks, then by label."""
    strongest: dict[tuple[str, str], str] = {}
    for task, department, role in G.edges(keys=True):
        if role in ROLES and strongest.get((task, department)) != "lead":
            strongest[(task, department)] = role
    score: dict[str, float] = {}
    leads: dict[str, int] = {}
    for (_, department), role in strongest.items():
        score[department] = score.get(department, 0.0) + float(weights.get(role, 0.0))
        leads[department] = leads.get(department, 0) + (role == "lead")
    ranked = sorted(score, key=lambda d: (-score[d], -leads[d], G.nodes[d]["label"], d))
    return {d: score[d] for d in ranked}


def lead_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """How many tasks each department leads, most first (ties by label)."""
    counts: dict[str, int] = {}
    for _, department, role in G.edges(keys=True):
        if role == "lead":
            counts[department] = counts.get(department, 0) + 1
    return {d: counts[d] for d in sorted(counts, key=lambda d: (-counts[d], G.nodes[d]["label"], d))}


def across_documents(G: nx.MultiDiGraph, department: str) -> dict[str, dict[str, list[str]]]:
    """A department's portfolio in each document of a corpus graph that gives it a task, by document IRI (in
    the projection's document order)."""
    tasks = tasks_of(G, department)
    documents = {G.nodes[t].get("document") for role in ROLES for t in tasks[role]}
    return {doc: portfolio(G, department, [doc]) for doc in nodes_of_kind(G, "document") if doc in documents}


def documents_per_department(G: nx.MultiDiGraph) -> dict[str, int]:
    """In how many documents each responsible department holds a task, most first (ties by label)."""
    docs: dict[str, set[str]] = {}
    for task, department, role in G.edges(keys=True):
        if role in ROLES:
            docs.setdefault(department, set()).add(G.nodes[task].get("document"))
    return {d: len(docs[d]) for d in sorted(docs, key=lambda d: (-len(docs[d]), G.nodes[d]["label"], d))}


_ORDERS: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str, int]] = weakref.WeakKeyDictionary()


def reading_order(G: nx.MultiDiGraph) -> dict[str, int]:
    """The projection's node order (documents, then reading order); kept while the graph's nodes stay the same,
    so that answering for every task of a corpus stays linear."""
    cached = _ORDERS.get(G)
    if cached is None or len(cached) != G.number_of_nodes():
        cached = _ORDERS[G] = {n: i for i, n in enumerate(G.nodes)}
    return cached
