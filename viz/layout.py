"""A precomputed layout for large graphs: each document a radial tree, documents packed in rows, departments
beside the tasks they answer for. Computed in Python, deterministically, so a corpus page needs no physics run.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

STEP = 90.0  # distance between the rings of a tree
GAP = 120.0  # between trees
SPACING = 40.0  # room for one node on a ring


def _tree(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Children of each node: sections under their parent (part_of), indicators under their owner."""
    parent: dict[str, str] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        kind = data.get("kind", key)
        if kind == "part_of":
            parent.setdefault(u, v)
        elif kind == "has_indicator":
            parent.setdefault(v, u)
    children: dict[str, list[str]] = defaultdict(list)
    for node in graph:  # insertion order: the documents' reading order
        if node in parent:
            children[parent[node]].append(node)
    return children


def _radial(root: str, children: dict[str, list[str]], seen: set[str]) -> dict[str, tuple[float, float]]:
    """A radial tree around (0, 0): each subtree gets an angle in proportion to its leaves."""
    order: list[tuple[str, int]] = []
    stack = [(root, 0)]
    while stack:  # depth-first, children in order; a node reached twice is placed once
        node, depth = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append((node, depth))
        stack.extend((c, depth + 1) for c in reversed(children.get(node, [])) if c not in seen)
    placed = {n for n, _ in order}
    kids = {n: [c for c in children.get(n, []) if c in placed] for n in placed}
    leaves: dict[str, int] = {}
    for node, _ in reversed(order):
        leaves[node] = sum(leaves.get(c, 0) for c in kids[node] if c in leaves) or 1
    per_ring: dict[int, int] = defaultdict(int)
    for _, depth in order:
        per_ring[depth] += 1
    radius = [0.0]
    for depth in range(1, max(per_ring) + 1):  # a crowded ring is pushed out until its nodes have room
        radius.append(max(radius[-1] + STEP, per_ring[depth] * SPACING / (2 * math.pi)))
    pos: dict[str, tuple[float, float]] = {}
    start: dict[str, float] = {root: 0.0}
    for node, depth in order:
        share = 2 * math.pi * leaves[node] / leaves[root]
        angle = start[node] + share / 2
        pos[node] = (radius[depth] * math.cos(angle), radius[depth] * math.sin(angle))
        at = start[node]
        for c in kids[node]:
            if c not in start:
                start[c] = at
                at += 2 * math.pi * leaves[c] / leaves[root]
    return pos


def layout(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions for every node (rounded, so the page's bytes do not depend on float noise)."""
    children = _tree(graph)
    has_parent = {c for cs in children.values() for c in cs}
    seen: set[str] = set()
    trees = [_radial(n, children, seen) for n, kind in graph.nodes(data="kind")
             if kind != "department" and n not in has_parent]
    trees += [_radial(n, children, seen) for n, kind in graph.nodes(data="kind")
              if kind != "department" and n not in seen]  # nodes on a cycle of part_of edges
    sized = [(max((math.hypot(x, y) for x, y in t.values()), default=0.0) + GAP / 2, t) for t in trees]
    width = math.sqrt(sum((2 * r) ** 2 for r, _ in sized)) * 1.2
    pos: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for r, tree in sorted(sized, key=lambda rt: -rt[0]):  # shelf packing, largest first (a stable sort)
        if x > 0 and x + 2 * r > width:
            x, y, row = 0.0, y + row, 0.0
        for node, (dx, dy) in tree.items():
            pos[node] = (x + r + dx, y + r + dy)
        x, row = x + 2 * r, max(row, 2 * r)
    pos.update(_departments(graph, pos))
    return {n: (round(px, 1), round(py, 1)) for n, (px, py) in pos.items()}


def _departments(graph: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Each department at the centre of its tasks, nudged along a golden-angle spiral so none overlap."""
    out: dict[str, tuple[float, float]] = {}
    depts = [n for n, kind in graph.nodes(data="kind") if kind == "department"]
    for i, dept in enumerate(depts):
        tasks = [pos[t] for t, _ in graph.in_edges(dept) if t in pos]
        if tasks:
            cx, cy = sum(p[0] for p in tasks) / len(tasks), sum(p[1] for p in tasks) / len(tasks)
        else:
            cx = cy = 0.0
        angle, radius = i * 2.39996, 25.0 * math.sqrt(i % 50 + 1)
        out[dept] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return out
