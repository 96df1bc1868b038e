"""The accountability report: the analyses' findings as Markdown or as one self-contained HTML page.

The report is first a list of blocks (headings, paragraphs, lists, tables, plots) and then rendered, so both
formats say the same thing. HTML escapes every piece of document text and embeds the plots as data: URIs: the
page loads nothing from anywhere. Markdown refers to the plots as PNG files written beside it.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from policykg.graph import network, ownership, risks
from policykg.graph.projection import nodes_of_kind
from policykg.render import target_text

PLOTS = ("workload", "network")
BETWEENNESS_SAMPLE = 500  # above this many departments betweenness is estimated from a seeded sample
CAPTION = {"workload": "部门工作量 Workload by department", "network": "协同网络 Co-responsibility network"}


@dataclass
class Block:
    kind: str  # h1 | h2 | h3 | p | list | table | image
    text: str = ""
    items: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Report:
    blocks: list[Block]
    figures: dict[str, Any]  # plot name -> matplotlib Figure


def build_report(G: nx.MultiDiGraph, weights: Mapping[str, float] = ownership.DEFAULT_WEIGHTS,
                 threshold: int = 6, top: int = 15) -> Report:
    """The findings of every analysis on G, as blocks and figures (not yet rendered)."""
    from policykg.graph import plots

    label = {n: d["label"] for n, d in G.nodes(data=True)}
    docs = nodes_of_kind(G, "document")
    tasks = nodes_of_kind(G, "task")
    indicators = nodes_of_kind(G, "indicator")
    load = ownership.workload(G, weights)
    departments = list(load)
    portfolios = {d: ownership.portfolio(G, d) for d in departments}
    leads = {d: len(p["lead"]) for d, p in portfolios.items()}
    cos = {d: len(p["co"]) for d, p in portfolios.items()}
    C = network.co_responsibility_graph(G)
    groups = network.communities(C)
    sample = BETWEENNESS_SAMPLE if C.number_of_nodes() > BETWEENNESS_SAMPLE else None
    scores = network.centrality(C, sample=sample)
    diffuse = risks.diffuse_tasks(G, threshold)
    co_only = risks.co_only_departments(G)
    goals = risks.unowned_goals(G)
    unassigned = risks.unreachable_indicators(G)
    unowned = risks.unowned_tasks(G)
    central = sorted(scores, key=lambda d: (-scores[d]["betweenness"], label[d], d))[:10]

    several = len(docs) > 1

    def at(n: str) -> str:
        """Where a section or indicator is: its path, after its document's label in a corpus."""
        d = G.nodes[n]
        where = d.get("path") if d["kind"] != "indicator" else d.get("owner")
        doc = label.get(d.get("document") or "", "") if several else ""
        return " ".join(x for x in (doc, where or "—") if x)

    b: list[Block] = [Block("h1", "问责分析报告 Accountability report")]
    if len(docs) == 1:
        d = G.nodes[docs[0]]
        b.append(Block("p", f"{d['title'] or d['label']}" + (f"（{d['doc_number']}）" if d["doc_number"] else "")))
    quantitative = sum(1 for i in indicators if G.nodes[i]["quantitative"])
    b.append(Block("p", f"{_n(len(docs), 'document')}, {_n(len(tasks), 'task')}, "
                        f"{_n(len(departments), 'responsible department')}, {_n(len(indicators), 'indicator')} "
                        f"({quantitative} quantitative)."))

    findings: list[str] = []
    lead_counts = ownership.lead_counts(G)
    if lead_counts:
        first = next(iter(lead_counts))
        findings.append(f"Leads the most tasks: {label[first]} ({lead_counts[first]} of {len(tasks)}).")
    if departments:
        d = departments[0]
        findings.append(f"Heaviest workload: {label[d]} ({load[d]:g}: {leads[d]} led, {cos[d]} co-operated; "
                        f"weights {_weights(weights)}).")
    if diffuse:
        t, n = diffuse[0]
        findings.append(f"Most co-responsible departments: {at(t)} {G.nodes[t]['title']} ({n}); "
                        f"{_n(len(diffuse), 'task')} with {threshold} or more.")
    if central and C.number_of_nodes() > 2:
        d = central[0]
        findings.append(f"At the centre of coordination: {label[d]} (betweenness {scores[d]['betweenness']:.2f}; "
                        "shares tasks with "
                        f"{C.degree(d)} of {C.number_of_nodes() - 1} other departments).")
    if groups:
        findings.append(f"{_n(len(groups), 'community', 'communities')} of departments that share tasks mostly "
                        "among themselves.")
    findings.append(f"{len(co_only)} of {len(departments)} responsible departments co-operate but never lead.")
    findings.append(f"{_n(len(goals), 'goal')} none of whose targets any department owns; "
                    f"{_n(len(unassigned), 'quantitative target')} no department owns"
                    + (f"; {_n(len(unowned), 'task')} without any responsible department." if unowned else "."))
    b += [Block("h2", "要点 Key findings"), Block("list", items=findings)]

    b.append(Block("h2", "工作量 Workload"))
    b.append(Block("p", f"Each task counts once per department, weighted by its role ({_weights(weights)}); "
                        "indicators are those stated in the department's tasks."))
    b.append(Block("image", "workload"))
    b.append(Block("table", columns=["#", "department", "canonical name", "led", "co-operated", "indicators",
                                     "workload"],
                   rows=[[n, label[d], G.nodes[d]["pref_label"], leads[d], cos[d], len(portfolios[d]["indicators"]),
                          f"{load[d]:g}"] for n, d in enumerate(departments, start=1)]))

    b.append(Block("h2", "协同网络 Co-responsibility network"))
    b.append(Block("p", f"Departments are linked when they are responsible for a task together "
                        f"({C.number_of_nodes()} departments, {C.number_of_edges()} links); communities by greedy "
                        "modularity, centrality over hops"
                        + (f" (betweenness estimated from {sample} departments)." if sample else ".")))
    b.append(Block("image", "network"))
    b.append(Block("h3", "社群 Communities"))
    b.append(Block("table", columns=["community", "departments", "members"],
                   rows=[[n, len(g), "、".join(label[d] for d in g)] for n, g in enumerate(groups, start=1)]))
    b.append(Block("h3", "协调中心 Centres of coordination"))
    b.append(Block("table", columns=["department", "partners", "tasks shared", "degree", "betweenness"],
                   rows=[[label[d], C.degree(d), f"{scores[d]['strength']:g}", f"{scores[d]['degree']:.2f}",
                          f"{scores[d]['betweenness']:.3f}"] for d in central]))

    b.append(Block("h2", "风险 Risks"))
    b.append(Block("h3", f"多头负责 Diffusion: tasks with {threshold} or more co-responsible departments"))
    b.append(_table_or_none(["task", "title", "lead", "co-operating", "co-responsible"],
                            [[at(t), G.nodes[t]["title"], G.nodes[t]["lead"] or "—", n,
                              "、".join(G.nodes[t]["co"])] for t, n in diffuse]))
    b.append(Block("h3", "只配合不牵头 Departments that co-operate but never lead"))
    b.append(_table_or_none(["department", "co-operated", "tasks"],
                            [[label[d], cos[d], "、".join(at(t) for t in portfolios[d]["co"])]
                             for d in co_only]))
    b.append(Block("h3", "无人负责的目标 Goals none of whose targets is owned"))
    b.append(_table_or_none(["goal", "title", "targets"],
                            [[at(g), G.nodes[g]["title"],
                              len([i for i in ownership.indicators_of(G, g) if G.nodes[i]["quantitative"]])]
                             for g in goals]))
    b.append(Block("h3", "无人负责的量化指标 Quantitative targets no department owns"))
    b.append(_table_or_none(["id", "section", "subject", "target"],
                            [[G.nodes[i]["indicator_id"], at(i), G.nodes[i]["subject"],
                              target_text(G.nodes[i])] for i in unassigned]))
    if unowned:
        b.append(Block("h3", "无人负责的任务 Tasks without a responsible department"))
        b.append(Block("table", columns=["task", "title"],
                       rows=[[at(t), G.nodes[t]["title"]] for t in unowned]))

    if len(docs) > 1:
        per_doc = ownership.documents_per_department(G)
        b.append(Block("h2", "跨文件 Across documents"))
        b.append(Block("p", f"The same department's responsibilities over the {len(docs)} documents."))
        b.append(Block("table", columns=["department", "documents", "led", "co-operated"],
                       rows=[[label[d], n, leads[d], cos[d]] for d, n in list(per_doc.items())[:top]]))

    shown = departments[:top]
    figures = {  # fonts are looked up when a figure is drawn (render_pngs), not now
        "workload": plots.workload_figure([label[d] for d in shown], {label[d]: leads[d] for d in shown},
                                          {label[d]: cos[d] for d in shown}, {label[d]: load[d] for d in shown}),
        "network": plots.network_figure(C, groups, label),
    }
    return Report(b, figures)


def render_pngs(report: Report) -> dict[str, bytes]:
    """Each plot as PNG bytes, drawn with the Chinese font."""
    from policykg.graph import plots

    with plots.chinese_text():
        return {name: plots.png(fig) for name, fig in report.figures.items()}


def markdown(report: Report, images: Mapping[str, str] | None = None) -> str:
    """The report in Markdown; images maps a plot's name to the file it is saved in (plots without a file are
    left out). Document text is escaped so that it cannot become markup."""
    out: list[str] = []
    for block in report.blocks:
        if block.kind in ("h1", "h2", "h3"):
            out.append(f"{'#' * int(block.kind[1])} {_md(block.text)}")
        elif block.kind == "p":
            out.append(_md(block.text))
        elif block.kind == "list":
            out.append("\n".join(f"- {_md(item)}" for item in block.items))
        elif block.kind == "table":
            lines = ["| " + " | ".join(_md(c) for c in block.columns) + " |",
                     "|" + "|".join("---" for _ in block.columns) + "|"]
            lines += ["| " + " | ".join(_md(_cell(v)) for v in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
        elif block.kind == "image" and images and block.text in images:
            out.append(f"![{CAPTION[block.text]}]({images[block.text]})")
    return "\n\n".join(out) + "\n"


def html_page(report: Report, images: Mapping[str, bytes]) -> str:
    """The report as one HTML page with its plots embedded (data: URIs); every text is escaped."""
    title = next((b.text for b in report.blocks if b.kind == "h1"), "report")
    body: list[str] = []
    for block in report.blocks:
        if block.kind in ("h1", "h2", "h3"):
            body.append(f"<{block.kind}>{_h(block.text)}</{block.kind}>")
        elif block.kind == "p":
            body.append(f"<p>{_h(block.text)}</p>")
        elif block.kind == "list":
            body.append("<ul>" + "".join(f"<li>{_h(item)}</li>" for item in block.items) + "</ul>")
        elif block.kind == "table":
            head = "".join(f"<th>{_h(c)}</th>" for c in block.columns)
            rows = "".join("<tr>" + "".join(f"<td>{_h(_cell(v))}</td>" for v in row) + "</tr>"
                           for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif block.kind == "image" and block.text in images:
            data = base64.b64encode(images[block.text]).decode("ascii")
            body.append(f'<figure><img alt="{_h(CAPTION[block.text])}" src="data:image/png;base64,{data}">'
                        f"<figcaption>{_h(CAPTION[block.text])}</figcaption></figure>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_h(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


_CSS = (
    "body{font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;"
    "max-width:64rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}"
    "table{border-collapse:collapse;margin:0.5rem 0 1.5rem;font-size:0.9rem}"
    "th,td{border:1px solid #ccc;padding:0.25rem 0.5rem;text-align:left;vertical-align:top}"
    "th{background:#f2f2f2}tr:nth-child(even) td{background:#fafafa}"
    "img{max-width:100%;height:auto}figure{margin:1rem 0}figcaption{color:#666;font-size:0.85rem}"
)


def _table_or_none(columns: list[str], rows: list[list[Any]]) -> Block:
    return Block("table", columns=columns, rows=rows) if rows else Block("p", "None.")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    return " ".join(str(v).split())


def _h(text: str) -> str:
    return html.escape(text, quote=True)


# what could turn document text into markup: emphasis, code, links, table cells, raw HTML
_MD_SPECIAL = str.maketrans({"|": r"\|", "\\": "\\\\", "*": r"\*", "_": r"\_", "`": r"\`", "[": r"\[", "]": r"\]",
                             "<": "&lt;"})


def _md(text: str) -> str:
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _weights(weights: Mapping[str, float]) -> str:
    return ", ".join(f"{role} {w:g}" for role, w in weights.items())

