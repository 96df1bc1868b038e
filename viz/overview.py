"""A corpus overview page: documents and the departments that answer for their tasks, one node each.

A corpus of a thousand documents projects to some 73 k nodes, more than a browser can lay out; this page draws
only documents and departments (merged across documents by canonical name), joined by one edge per document and
role: solid for the tasks a department leads there, dashed for those it co-operates on, wider for more tasks.
Its input is one small summary per document (`document_summary` of the extraction JSON view), so the page can be
written from the per-document JSON files without opening the graph.

The conventions of viz/html.py hold: one self-contained file with vis-network inlined from pyvis's package, a
Content-Security-Policy that forbids every request, document text only as JSON data put into the DOM with
textContent, and the same summaries give the same bytes (sorted JSON keys, rounded positions, nothing dated).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Iterable
from typing import Any

import networkx as nx
from jinja2.utils import htmlsafe_json_dumps

from policykg.graph import iris
from policykg.viz.describe import clip
from policykg.viz.html import EDGE_STYLE, FONT_STACK, NODE_STYLE, _asset, _vis_js, template_environment
from policykg.viz.layout import layout

BIG = 300  # above this many nodes: positions from viz/layout.py and no physics at all
STYLE: dict[str, dict[str, Any]] = {
    "document": {"shape": "square", "color": {"background": "#34495e", "border": "#22313f"},
                 "font": {"size": 15, "color": "#1c2833"}},
    "department": {**NODE_STYLE["department"], "font": {"size": 15, "strokeWidth": 3, "strokeColor": "#ffffff"}},
}
EDGES = {"lead": EDGE_STYLE["lead"], "co": EDGE_STYLE["co"]}


def _str(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return " ".join(str(value).split()) or None


def _names(value: Any) -> list[str]:
    """A task's lead or co field (a name, a list of names or null) as a list of names."""
    if value in (None, ""):
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    return [s for s in (_str(v) for v in values) if s]


def document_summary(extraction: dict[str, Any]) -> dict[str, Any]:
    """A small JSON-ready summary of one document from its extraction JSON view.

    {"source", "title", "doc_number", "issuer", "date",
     "counts": {"tasks", "tasks_with_lead", "indicators", "unassigned", "departments"},
     "departments": {canonical name: {"lead": tasks it leads, "co": tasks it co-operates on}}}

    `date` is the publication date, else the signature date; a department is named by its canonical name, and a
    collective unit or a department without one by its name and its place (各区人民政府（上海市）), as the corpus
    graph names them; a department named twice in one task counts once per role.
    """
    doc = extraction.get("document") or {}
    # the node a department is in the corpus graph (graph/iris.py `organisation`): its canonical name, else its
    # name within the issuing place (各区人民政府 of 上海市 is not 各区人民政府 of 苏州市), else within the document
    within = iris.place_of_issuer(_str(doc.get("issuer"))) or _str(doc.get("doc_number")) or \
        _str(extraction.get("source")) or ""
    canonical: dict[str, str] = {}
    for dept in extraction.get("departments") or []:
        name = _str(dept.get("name"))
        full = _str(dept.get("canonical"))
        if dept.get("collective") or full is None:
            full = _within(full or name, within)
        if full is None:
            continue
        for alias in [name, *(_str(a) for a in dept.get("aliases") or [])]:
            if alias:
                canonical.setdefault(alias, full)
    departments: dict[str, dict[str, int]] = {}
    tasks = extraction.get("tasks") or []
    with_lead = 0
    for task in tasks:
        lead = [canonical.get(n) or _within(n, within) or n for n in _names(task.get("lead"))]
        co = [canonical.get(n) or _within(n, within) or n for n in _names(task.get("co"))]
        with_lead += bool(lead)
        for role, names in (("lead", lead), ("co", co)):
            for name in dict.fromkeys(names):
                departments.setdefault(name, {"lead": 0, "co": 0})[role] += 1
    unassigned = (extraction.get("audit") or {}).get("unassigned_indicators") or []
    source = _str(extraction.get("source"))
    return {
        "source": source,
        "title": _str(doc.get("title")),
        "doc_number": _str(doc.get("doc_number")),
        "issuer": _str(doc.get("issuer")),
        "date": _str(doc.get("published")) or _str(doc.get("signed")),
        "counts": {"tasks": len(tasks), "tasks_with_lead": with_lead,
                   "indicators": len(extraction.get("indicators") or []), "unassigned": len(unassigned),
                   "departments": len(departments)},
        "departments": {name: departments[name] for name in sorted(departments)},
    }


def _within(name: str | None, place: str) -> str | None:
    if not name:
        return None
    return f"{name}（{place}）" if place and not name.startswith(place) else name


def _search(*parts: Any) -> str:
    return unicodedata.normalize("NFKC", " ".join(str(p) for p in parts if p)).lower()


def _model(summaries: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[list[Any]]]:
    """Document nodes, department nodes and edges [document, department, kind, tasks], in a stable order."""
    docs: list[dict[str, Any]] = []
    totals: dict[str, dict[str, int]] = {}
    for s in summaries:
        for name, roles in (s.get("departments") or {}).items():
            t = totals.setdefault(name, {"lead": 0, "co": 0, "docs": 0})
            t["lead"] += int(roles.get("lead") or 0)
            t["co"] += int(roles.get("co") or 0)
            t["docs"] += 1
    dept_id = {name: f"p{i}" for i, name in enumerate(sorted(totals), 1)}
    depts = [{"id": dept_id[name], "kind": "department", "name": name, "label": clip(name, 16),
              "lead": t["lead"], "co": t["co"], "docs": t["docs"], "search": _search(name)}
             for name, t in sorted(totals.items())]
    edges: list[list[Any]] = []
    for i, s in enumerate(summaries, 1):
        did = f"d{i}"
        counts = dict(s.get("counts") or {})
        title, number = s.get("title") or "", s.get("doc_number") or ""
        docs.append({"id": did, "kind": "document", "title": title, "doc_number": number,
                     "issuer": s.get("issuer") or "", "date": s.get("date") or "", "source": s.get("source") or "",
                     "counts": counts, "label": number or clip(title or s.get("source") or did),
                     "search": _search(title, number, s.get("issuer"), s.get("source"))})
        for name, roles in (s.get("departments") or {}).items():
            for kind in ("lead", "co"):
                if roles.get(kind):
                    edges.append([did, dept_id[name], kind, int(roles[kind])])
    return docs, depts, edges


def _positions(docs: list[dict[str, Any]], depts: list[dict[str, Any]],
               edges: list[list[Any]]) -> dict[str, tuple[float, float]]:
    """viz/layout.py's packing: documents of one issuer side by side, a department of one document on a ring
    around it (as layout.py places a section's targets), one of several documents among them."""
    graph = nx.MultiDiGraph()
    for d in sorted(docs, key=lambda d: (d["issuer"], int(d["id"][1:]))):
        graph.add_node(d["id"], kind="document")
    for p in depts:
        graph.add_node(p["id"], kind="department" if p["docs"] > 1 else "member")
    for u, v, kind, _ in edges:
        graph.add_edge(u, v, kind=kind)
        if graph.nodes[v]["kind"] == "member" and not graph.has_edge(u, v, key="has_indicator"):
            graph.add_edge(u, v, key="has_indicator", kind="has_indicator")  # layout.py's tree: v under u
    return layout(graph)


def _options(big: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "groups": STYLE,
        "nodes": {"font": {"face": FONT_STACK, "size": 15, "color": "#1c2833"}, "borderWidth": 1.5,
                  "scaling": {"min": 8, "max": 44, "label": {"enabled": False}}},
        "edges": {"smooth": False, "arrows": {"to": {"scaleFactor": 0.4}}, "selectionWidth": 2},
        "layout": {"randomSeed": 7, "improvedLayout": not big},
        "physics": {"enabled": not big, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -120, "centralGravity": 0.02,
                                         "springLength": 120, "springConstant": 0.06, "avoidOverlap": 0.6},
                    "stabilization": {"enabled": not big, "iterations": 300, "updateInterval": 20},
                    "minVelocity": 1.5},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": False},
    }


def _width(tasks: int) -> float:
    return round(1 + 1.5 * math.log2(tasks), 2) if tasks > 0 else 1


def overview_html(summaries: Iterable[dict[str, Any]], title: str | None = None) -> str:
    """The overview page of a corpus, from `document_summary` of each document (kept in the given order)."""
    summaries = list(summaries)
    docs, depts, edges = _model(summaries)
    big = len(docs) + len(depts) > BIG
    if big:
        place = _positions(docs, depts, edges)
        for node in docs + depts:
            node["x"], node["y"] = place[node["id"]]
    totals = {
        "documents": len(docs), "departments": len(depts),
        "tasks": sum(int(d["counts"].get("tasks") or 0) for d in docs),
        "tasks_with_lead": sum(int(d["counts"].get("tasks_with_lead") or 0) for d in docs),
        "indicators": sum(int(d["counts"].get("indicators") or 0) for d in docs),
        "unassigned": sum(int(d["counts"].get("unassigned") or 0) for d in docs),
    }
    heading = title if title is not None else f"{len(docs)} 份文件 documents · 部门与任务 departments and tasks"
    data = {"docs": docs, "depts": depts, "edges": edges, "options": _options(big),
            "edgeStyles": {k: {a: b for a, b in s.items() if a != "width"} for k, s in EDGES.items()},
            "widths": {str(n): _width(n) for n in sorted({e[3] for e in edges})}, "totals": totals}
    page = template_environment().get_template("overview.html").render(
        heading=heading, totals=totals, font_stack=FONT_STACK, vis_js=_vis_js(), page_css=_asset("page.css"),
        overview_js=_asset("overview.js"), styles=STYLE, edge_styles=EDGES,
        data=htmlsafe_json_dumps(data, dumps=json.dumps, sort_keys=True, ensure_ascii=False,
                                 separators=(",", ":")))
    return page
