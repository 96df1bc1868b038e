"""The accountability graph as one self-contained HTML page: pyvis builds the network, vis-network draws it.

The page works offline: vis-network's script is inlined from pyvis's package (the `in_line` resources), the
page's own template replaces pyvis's (which still links bootstrap from a CDN), and a Content-Security-Policy
forbids every request the page could make. Document text reaches the page only as JSON data and is put into
the DOM with textContent, so nothing a document says is read as HTML or script. The same graph gives the same
bytes: nodes and edges keep the projection's (deterministic) order, edge ids are numbered, JSON keys are sorted,
and nothing random or dated is written; the layout in the browser is seeded.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from policykg.viz.describe import GROUP_NAMES, GROUPS, Ownership, group, label, name, panel, search_text
from policykg.viz.layout import layout

FONT_STACK = ("'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'Noto Sans SC', "
              "'WenQuanYi Micro Hei', sans-serif")
VIS_JS = "lib/vis-9.1.2/vis-network.min.js"  # inside pyvis's templates/
BIG = 300  # above this many nodes: positions from viz/layout.py, a short physics run, then frozen

NODE_STYLE: dict[str, dict[str, Any]] = {
    "document": {"shape": "box", "color": {"background": "#34495e", "border": "#22313f"},
                 "font": {"color": "#ffffff", "size": 18}, "margin": 8},
    "section": {"shape": "dot", "size": 7, "color": {"background": "#d5d8dc", "border": "#99a3a4"},
                "font": {"size": 13, "color": "#566573"}},
    "goal": {"shape": "star", "size": 16, "color": {"background": "#f5b041", "border": "#b9770e"}},
    "task": {"shape": "box", "color": {"background": "#d6eaf8", "border": "#2e86c1"}, "margin": 6},
    "department": {"shape": "hexagon", "size": 20, "color": {"background": "#52be80", "border": "#1e8449"},
                   "font": {"size": 17, "strokeWidth": 3, "strokeColor": "#ffffff"}},
    "indicator": {"shape": "dot", "size": 8, "color": {"background": "#a569bd", "border": "#6c3483"},
                  "font": {"size": 13}},
    "unassigned": {"shape": "triangle", "size": 13, "borderWidth": 3,
                   "color": {"background": "#ec7063", "border": "#922b21"},
                   "font": {"size": 13, "color": "#922b21"}},
}
EDGE_STYLE: dict[str, dict[str, Any]] = {
    "lead": {"color": "#c0392b", "width": 3, "arrows": "to"},
    "co": {"color": "#e59866", "width": 1.5, "dashes": [6, 5], "arrows": "to"},
    "has_indicator": {"color": "#bb8fce", "width": 1, "arrows": "to"},
    "part_of": {"color": "#cacfd2", "width": 1},
    "same_as": {"color": "#7f8c8d", "width": 1, "dashes": [2, 4]},
}
EDGE_NAMES = {"lead": "牵头 lead (solid)", "co": "配合 co (dashed)", "has_indicator": "有指标 has target",
              "part_of": "属于 part of", "same_as": "同一目标 same target"}


def _asset(name: str) -> str:
    return resources.files("policykg.viz").joinpath("assets", name).read_text(encoding="utf-8")


def _pyvis_templates() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "templates"


def _vis_js() -> str:
    js = (_pyvis_templates() / VIS_JS).read_text(encoding="utf-8")
    if "</script" in js.lower():  # it is inlined into a <script> element
        raise RuntimeError(f"pyvis's {VIS_JS} cannot be inlined: it contains </script")
    return js


def options(count: int) -> dict[str, Any]:
    """vis-network options: styles by group, a seeded layout, and a physics run that stops once settled."""
    big = count > BIG
    return {
        "autoResize": True,
        "groups": NODE_STYLE,
        "nodes": {"font": {"face": FONT_STACK, "size": 16, "color": "#1c2833"}, "borderWidth": 1.5},
        "edges": {"font": {"face": FONT_STACK}, "smooth": False if big else {"type": "continuous"},
                  "arrows": {"to": {"scaleFactor": 0.5}}, "selectionWidth": 2},
        "layout": {"randomSeed": 7, "improvedLayout": not big},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -100, "centralGravity": 0.03, "springLength": 80,
                                 "springConstant": 0.08, "avoidOverlap": 0.6},
            "stabilization": {"enabled": True, "iterations": 40 if big else 400, "updateInterval": 20},
            "minVelocity": 1.5,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "multiselect": False},
    }


def network(graph: nx.MultiDiGraph) -> Network:
    """The pyvis network of the projection: every node and edge, in a stable order."""
    net = Network(directed=True, cdn_resources="in_line")
    own = Ownership(graph)
    audit = own.audit_view()
    place = layout(graph) if graph.number_of_nodes() > BIG else {}
    # The dicts pyvis's add_node/add_edge would make, appended directly: those methods look for duplicates by
    # scanning lists (quadratic), and a graph's nodes are unique and its edges join nodes it has.
    for node, attrs in graph.nodes(data=True):  # the projection's order is deterministic: keep it
        kind = group(attrs)  # pyvis gives every node a shape: the group's, or the group style would not apply
        item: dict[str, Any] = {"group": kind, "kind": attrs.get("kind", "section"), "name": name(attrs),
                                "panel": panel(graph, own, node), "depts": own.departments(node),
                                "audit": node in audit, "search": search_text(attrs)}
        if node in place:
            item["x"], item["y"] = place[node]
        item.update(id=node, label=label(attrs) or node, shape=NODE_STYLE[kind]["shape"])
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
    for n, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True), 1):
        net.edges.append({"id": f"e{n}", "kind": data.get("kind", key), "from": u, "to": v, "arrows": "to"})
    net.options = options(graph.number_of_nodes())
    return net


def heading_of(graph: nx.MultiDiGraph) -> str:
    docs = [a for _, a in graph.nodes(data=True) if a.get("kind") == "document"]
    if len(docs) == 1:
        title, number = docs[0].get("title") or docs[0].get("label") or "", docs[0].get("doc_number") or ""
        return f"{title}（{number}）" if title and number else title or number or "policykg"
    return f"{len(docs)} 份文件 documents"


def template_environment() -> Environment:
    """A Jinja environment over viz/assets/ (a new one per page: a page sets its own globals)."""
    env = Environment(loader=FileSystemLoader(str(Path(str(resources.files("policykg.viz"))) / "assets")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      keep_trailing_newline=True)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def render_html(graph: nx.MultiDiGraph, heading: str | None = None) -> str:
    """The page for a projection (see policykg.graph.projection.project), as a string."""
    net = network(graph)
    net.heading = heading if heading is not None else heading_of(graph)
    env = template_environment()
    unassigned = _unassigned(graph)
    env.globals.update(
        vis_js=_vis_js(), page_js=_asset("page.js"), page_css=_asset("page.css"), font_stack=FONT_STACK,
        legend=[(g, GROUP_NAMES[g], NODE_STYLE[g]["shape"], NODE_STYLE[g]["color"]) for g in GROUPS],
        edge_legend=[(k, EDGE_NAMES[k], s["color"], s.get("dashes"), s["width"]) for k, s in EDGE_STYLE.items()],
        edge_styles=json.dumps(EDGE_STYLE),
        counts={"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(), "unassigned": unassigned},
    )
    net.templateEnv = env
    net.path = "page.html"
    return net.generate_html()


def _unassigned(graph: nx.MultiDiGraph) -> int:
    return sum(1 for _, a in graph.nodes(data=True) if group(a) == "unassigned")


def summary(graph: nx.MultiDiGraph) -> str:
    """One line for the command's report: 106 nodes, 183 edges, 28 targets nobody owns."""
    n, m, u = graph.number_of_nodes(), graph.number_of_edges(), _unassigned(graph)
    return f"{n} node{'s' * (n != 1)}, {m} edge{'s' * (m != 1)}, {u} target{'s' * (u != 1)} nobody owns"


def write_html(graph: nx.MultiDiGraph, path: str | None, heading: str | None = None) -> None:
    """Write the page atomically to path (stdout for None or '-')."""
    from policykg.outputs import write_output

    write_output(path, render_html(graph, heading))
