"""The co-responsibility network: departments linked by the tasks they share, its communities and its centres.

A department that shares tasks with many others, or sits on the paths between groups that otherwise share
nothing, is where coordination happens (and where it fails).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from policykg.graph.ownership import ROLES, responsible_departments
from policykg.graph.projection import nodes_of_kind


def co_responsibility_graph(G: nx.MultiDiGraph, roles: Iterable[str] = ROLES) -> nx.Graph:
    """Departments (nodes, with label, lead and co counts) linked when they are responsible for a task together.

    An edge's ``weight`` is the number of tasks the two share, ``tasks`` lists them (reading order) and
    ``distance`` is 1/weight, for path measures where close partners should be near. Only responsibility in
    ``roles`` counts (("co",) links departments by the tasks they co-operate on).
    """
    keep = set(roles)
    C = nx.Graph()
    for task in nodes_of_kind(G, "task"):
        departments = [d for d in responsible_departments(G, task)
                       if any(k in keep for k in G[task][d])]
        for d in departments:
            if d not in C:
                C.add_node(d, label=G.nodes[d]["label"], lead=0, co=0)
            role = "lead" if "lead" in G[task][d] and "lead" in keep else "co"
            C.nodes[d][role] += 1
        for a, b in combinations(sorted(departments), 2):
            if C.has_edge(a, b):
                C[a][b]["weight"] += 1
                C[a][b]["tasks"].append(task)
            else:
                C.add_edge(a, b, weight=1, tasks=[task])
    for _, _, data in C.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return C


def communities(C: nx.Graph, weight: str | None = "weight", resolution: float = 1.0) -> list[list[str]]:
    """Groups of departments that share tasks more among themselves than with others (greedy modularity
    maximisation, which is deterministic); the largest first, each sorted by label."""
    if C.number_of_nodes() == 0:
        return []
    if C.number_of_edges() == 0:
        found: list[Iterable[str]] = [[n] for n in C]
    else:
        found = nx.community.greedy_modularity_communities(C, weight=weight, resolution=resolution)
    groups = [sorted(c, key=lambda n: (C.nodes[n].get("label", n), n)) for c in found]
    return sorted(groups, key=lambda g: (-len(g), C.nodes[g[0]].get("label", g[0]), g[0]))


def centrality(C: nx.Graph, weight: str | None = None, sample: int | None = None) -> dict[str, dict[str, float]]:
    """For each department: ``degree`` (share of the other departments it works with), ``strength`` (tasks
    shared, summed over partners) and ``betweenness`` (share of shortest paths between other departments
    through it; hops by default, or the edge attribute ``weight`` names, e.g. "distance"). With ``sample``,
    betweenness is estimated from that many source departments (seeded, so repeatable): for large corpora."""
    degree = nx.degree_centrality(C) if C.number_of_nodes() > 1 else dict.fromkeys(C, 0.0)
    k = sample if sample is not None and sample < C.number_of_nodes() else None
    betweenness = nx.betweenness_centrality(C, k=k, weight=weight, normalized=True, seed=0 if k else None)
    return {n: {"degree": degree[n], "strength": float(C.degree(n, weight="weight")), "betweenness": betweenness[n]}
            for n in C}


def central_departments(C: nx.Graph, measure: str = "betweenness", top: int = 5, weight: str | None = None,
                        sample: int | None = None) -> list[tuple[str, float]]:
    """The ``top`` departments by one centrality measure (degree, strength or betweenness), highest first;
    ties by label."""
    scores = centrality(C, weight, sample)
    ranked = sorted(scores, key=lambda n: (-scores[n][measure], C.nodes[n].get("label", n), n))
    return [(n, scores[n][measure]) for n in ranked[:top]]
