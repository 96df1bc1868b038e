"""What the page says about each node of the NetworkX projection: its label, group, owners and panel rows.

Everything here is plain data (strings and lists); the page puts it into the DOM as text, never as HTML.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

import networkx as nx

from policykg.render import target_text

# Legend order; "unassigned" is the indicator no department owns (the audit), drawn apart from the others.
GROUPS = ("document", "section", "goal", "task", "department", "indicator", "unassigned")
GROUP_NAMES = {
    "document": "文件 document",
    "section": "章节 section",
    "goal": "目标 goal",
    "task": "任务 task",
    "department": "部门 department",
    "indicator": "指标 indicator",
    "unassigned": "无人负责的指标 unassigned target",
}
TIP_FIELDS = ("类型 kind", "目标值 target", "牵头 lead", "配合 co", "负责 owners", "期限 deadline")
AFTER_QUOTE = ("指标 targets", "同一目标 same as", "IRI")  # long lists: the panel shows the quote first
LABEL_CHARS = 12  # a title longer than this is cut on the canvas; the panel has it whole


def clip(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def group(attrs: dict[str, Any]) -> str:
    kind = attrs.get("kind", "section")
    if kind == "indicator" and attrs.get("unassigned"):
        return "unassigned"
    return kind if kind in GROUP_NAMES else "section"


def _text(attrs: dict[str, Any], *names: str) -> str:
    for name in names:
        value = attrs.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def name(attrs: dict[str, Any]) -> str:
    """The node's full name: a title, a department's canonical name, an indicator's subject."""
    return _text(attrs, "pref_label", "title", "subject", "label", "iri")


def label(attrs: dict[str, Any]) -> str:
    """The short label drawn on the canvas."""
    kind = attrs.get("kind")
    if kind == "document":
        return _text(attrs, "doc_number") or clip(name(attrs))
    if kind == "department":  # the name clauses write (市质监局); the panel gives the canonical one
        return clip(_text(attrs, "label", "pref_label"), 16)
    if kind == "indicator":
        return f"{_text(attrs, 'indicator_id')} {target_text(attrs)}".strip()
    path = _text(attrs, "path")
    title = clip(_text(attrs, "title", "label"))
    return f"{path}\n{title}" if kind == "task" and path else f"{path} {title}".strip()


class Ownership:
    """Who answers for what: lead and co departments of tasks, and the departments behind each indicator."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self.lead: dict[str, list[str]] = {}
        self.co: dict[str, list[str]] = {}
        self.indicators: dict[str, list[str]] = {}  # section/goal/task -> its indicators
        self.stated_in: dict[str, list[str]] = {}  # indicator -> the sections stating it
        self.same_as: dict[str, list[str]] = {}
        self.parent: dict[str, str] = {}
        for u, v, key, data in graph.edges(keys=True, data=True):  # insertion order: a clause's order
            kind = data.get("kind", key)
            if kind in ("lead", "co"):
                (self.lead if kind == "lead" else self.co).setdefault(u, []).append(v)
            elif kind == "has_indicator":
                self.indicators.setdefault(u, []).append(v)
                self.stated_in.setdefault(v, []).append(u)
            elif kind == "same_as":
                self.same_as.setdefault(u, []).append(v)
            elif kind == "part_of":
                self.parent.setdefault(u, v)
        self._tasks_of: dict[str, dict[str, list[str]]] | None = None

    def tasks_of(self, department: str) -> dict[str, list[str]]:
        """The tasks a department leads and co-operates on, each list sorted (inverted once per graph)."""
        if self._tasks_of is None:
            inverse: dict[str, dict[str, list[str]]] = {}
            for role, owners in (("lead", self.lead), ("co", self.co)):
                for task, depts in owners.items():
                    for dept in dict.fromkeys(depts):
                        inverse.setdefault(dept, {"lead": [], "co": []})[role].append(task)
            for roles in inverse.values():
                roles["lead"].sort()
                roles["co"].sort()
            self._tasks_of = inverse
        return self._tasks_of.get(department, {"lead": [], "co": []})

    def task_departments(self, task: str) -> list[str]:
        return _unique(self.lead.get(task, []) + self.co.get(task, []))

    def indicator_tasks(self, indicator: str) -> list[str]:
        """Tasks answering for an indicator: those stating it, or stating the same target."""
        tasks = [s for s in self.stated_in.get(indicator, []) if self.is_task(s)]
        for other in self.same_as.get(indicator, []):
            tasks += [s for s in self.stated_in.get(other, []) if self.is_task(s)]
        return _unique(tasks)

    def is_task(self, node: str) -> bool:
        return self.graph.nodes[node].get("kind") == "task"

    def departments(self, node: str) -> list[str]:
        """The departments that answer for a task or an indicator (empty for other nodes)."""
        kind = self.graph.nodes[node].get("kind")
        if kind == "task":
            return self.task_departments(node)
        if kind == "indicator":
            return _unique(d for t in self.indicator_tasks(node) for d in self.task_departments(t))
        return []

    def ancestors(self, node: str) -> list[str]:
        out: list[str] = []
        while node in self.parent and self.parent[node] not in out:
            node = self.parent[node]
            out.append(node)
        return out

    def audit_view(self) -> set[str]:
        """The unassigned indicators, the sections that state them and those sections' ancestors."""
        keep: set[str] = set()
        for node, attrs in self.graph.nodes(data=True):
            if attrs.get("kind") == "indicator" and attrs.get("unassigned"):
                keep.add(node)
                for section in self.stated_in.get(node, []):
                    keep.update([section, *self.ancestors(section)])
        return keep


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def search_text(attrs: dict[str, Any]) -> str:
    """What the search box matches: names, paths and numbers (not the long quotes), NFKC and lower case."""
    parts = [_text(attrs, key) for key in ("label", "title", "subject", "path", "pref_label", "indicator_id",
                                            "doc_number")]
    parts += [str(a) for a in attrs.get("alt_labels") or []]
    return unicodedata.normalize("NFKC", " ".join(p for p in parts if p)).lower()


def panel(graph: nx.MultiDiGraph, own: Ownership, node: str) -> dict[str, Any]:
    """The side panel of a node: a heading, rows of (field, value or values), the quote and where it is."""
    attrs = graph.nodes[node]
    kind = attrs.get("kind", "section")
    names = {n: name(graph.nodes[n]) for n in own.task_departments(node)} if kind == "task" else {}
    rows: list[tuple[str, str | list[str]]] = [("类型 kind", GROUP_NAMES[group(attrs)])]

    def add(field: str, value: Any) -> None:
        if isinstance(value, (list, tuple)):
            values = [str(v) for v in value if v not in (None, "")]
            if values:
                rows.append((field, values))
        elif value not in (None, ""):
            rows.append((field, str(value)))

    if kind == "document":
        add("文号 number", attrs.get("doc_number"))
    elif kind == "department":
        add("名称 names", [a for a in attrs.get("alt_labels") or [] if a != name(attrs)])
        add("集体 collective", "是 yes" if attrs.get("collective") else None)
        mine = own.tasks_of(node)
        add("牵头 leads", [_task_line(graph, t) for t in mine["lead"]] or "—")
        add("配合 co-operates", [_task_line(graph, t) for t in mine["co"]] or "—")
    elif kind == "indicator":
        add("编号 id", attrs.get("indicator_id"))
        add("目标值 target", target_text(attrs))
        add("所在 stated in", [_task_line(graph, s) for s in own.stated_in.get(node, [])])
        owners = [name(graph.nodes[d]) for d in own.departments(node)]
        add("负责 owners", owners or "无 nobody (unassigned)")
        add("同一目标 same as", [label(graph.nodes[o]) for o in own.same_as.get(node, [])])
    else:
        add("编号 path", attrs.get("path"))
        if kind == "task":
            add("牵头 lead", [names[d] for d in own.lead.get(node, [])] or attrs.get("lead") or "—")
            add("配合 co", [names[d] for d in own.co.get(node, [])] or attrs.get("co"))
            add("期限 deadline", attrs.get("deadline"))
            add("责任条款 clause", attrs.get("responsibility_text"))
        targets = [label(graph.nodes[i]) + " " + _text(graph.nodes[i], "subject")
                   for i in own.indicators.get(node, [])]
        add("指标 targets", targets)
    tip = [name(attrs)] + [f"{f}: {v if isinstance(v, str) else '、'.join(v)}" for f, v in rows if f in TIP_FIELDS]
    add("IRI", attrs.get("iri") or node)
    return {"heading": name(attrs), "tip": "\n".join(tip),
            "rows": [list(r) for r in rows if r[0] not in AFTER_QUOTE],
            "quote": _text(attrs, "quote", "text"), "where": where(graph, attrs),
            "more": [list(r) for r in rows if r[0] in AFTER_QUOTE]}


def _task_line(graph: nx.MultiDiGraph, node: str) -> str:
    attrs = graph.nodes[node]
    return f"{_text(attrs, 'path')} {_text(attrs, 'title', 'label')}".strip()


def where(graph: nx.MultiDiGraph, attrs: dict[str, Any]) -> str:
    """The quote's location: document, section path, character offsets."""
    parts = []
    doc = attrs.get("document")
    if doc is not None:
        doc_attrs = graph.nodes[doc] if doc in graph else {}
        parts.append(_text(doc_attrs, "doc_number", "title") or str(doc))
    owner = attrs.get("owner")
    if attrs.get("path"):
        parts.append(str(attrs["path"]))
    elif owner is not None:
        parts.append(_text(graph.nodes[owner], "path") if owner in graph else str(owner))
    if attrs.get("start") is not None and attrs.get("end") is not None:
        parts.append(f"字符 chars {attrs['start']}–{attrs['end']}")
    return " · ".join(parts)
