"""Risk patterns of responsibility: diffusion, departments that never lead, goals and targets nobody owns.

A target is owned when a department can reach it: the department is responsible for the task that states it,
or for the task that restates it (one ``same_as`` step) — the rule of the SPARQL audit
graph/queries/unassigned.rq, so ``unreachable_indicators`` equals the audit.
"""

from __future__ import annotations

import networkx as nx

from policykg.graph.ownership import ROLES, indicators_of, owners, reading_order
from policykg.graph.projection import nodes_of_kind


def diffuse_tasks(G: nx.MultiDiGraph, threshold: int = 6) -> list[tuple[str, int]]:
    """Tasks with at least ``threshold`` co-responsible departments (diffusion of responsibility: when many
    share a task, none answers for it), most co-owners first, then in reading order."""
    counts = [(t, len(owners(G, t)["co"])) for t in nodes_of_kind(G, "task")]
    order = reading_order(G)
    return sorted(((t, n) for t, n in counts if n >= threshold), key=lambda tn: (-tn[1], order[tn[0]]))


def co_only_departments(G: nx.MultiDiGraph) -> list[str]:
    """Departments that co-operate on tasks but lead none, by label."""
    roles: dict[str, set[str]] = {}
    for _, department, role in G.edges(keys=True):
        if role in ROLES:
            roles.setdefault(department, set()).add(role)
    return sorted((d for d, r in roles.items() if r == {"co"}), key=lambda d: (G.nodes[d]["label"], d))


def unowned_tasks(G: nx.MultiDiGraph) -> list[str]:
    """Tasks no department is responsible for, in reading order."""
    return [t for t in nodes_of_kind(G, "task") if not any(k in ROLES for _, _, k in G.out_edges(t, keys=True))]


def owned_indicators(G: nx.MultiDiGraph) -> set[str]:
    """Indicators a department reaches: stated in a task it is responsible for, or the same target as one."""
    direct = {i for t in nodes_of_kind(G, "task")
              if any(k in ROLES for _, _, k in G.out_edges(t, keys=True))
              for _, i, k in G.out_edges(t, keys=True) if k == "has_indicator"}
    restated = {j for i in direct for _, j, k in G.out_edges(i, keys=True) if k == "same_as"}
    return direct | restated


def unreachable_indicators(G: nx.MultiDiGraph, quantitative_only: bool = True) -> list[str]:
    """Indicators no department reaches (the audit: quantitative targets only, unless told otherwise), in the
    projection's order."""
    owned = owned_indicators(G)
    return [i for i in nodes_of_kind(G, "indicator")
            if i not in owned and (G.nodes[i]["quantitative"] or not quantitative_only)]


def unowned_goals(G: nx.MultiDiGraph, quantitative_only: bool = True) -> list[str]:
    """Goals with targets (stated in the goal or its sub-goals) none of which any department owns, in reading
    order; only quantitative targets count unless told otherwise."""
    owned = owned_indicators(G)
    out = []
    for goal in nodes_of_kind(G, "goal"):
        targets = [i for i in indicators_of(G, goal)
                   if G.nodes[i]["quantitative"] or not quantitative_only]
        if targets and not any(i in owned for i in targets):
            out.append(goal)
    return out
