"""The report's plots, drawn with matplotlib's Agg canvas (no display, no pyplot state) in a font that has
Chinese glyphs, so department names render as characters and not as boxes."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache

import matplotlib
import networkx as nx
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# Common CJK sans-serif fonts: Debian's fonts-wqy-microhei (what CI installs), Google/Adobe's Noto/Source Han,
# and the system fonts of Windows and macOS.
CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
             "Source Han Sans CN", "Microsoft YaHei", "PingFang SC", "SimHei", "Heiti SC", "Noto Sans CJK JP")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")


class FontWarning(UserWarning):
    """No font with Chinese glyphs is installed: labels will show as boxes."""


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs (the first of CJK_FONTS found), or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


@contextmanager
def chinese_text() -> Iterator[str | None]:
    """matplotlib settings for Chinese labels; warns (FontWarning) when no CJK font is installed."""
    font = cjk_font()
    settings: dict[str, object] = {"axes.unicode_minus": False, "svg.hashsalt": "policykg"}
    if font:
        settings.update({"font.family": "sans-serif",
                         "font.sans-serif": [font, *matplotlib.rcParams["font.sans-serif"]]})
    with matplotlib.rc_context(settings), warnings.catch_warnings():
        if font is None:
            warnings.warn("no font with Chinese glyphs found (install fonts-wqy-microhei or Noto Sans CJK SC); "
                          "Chinese labels in the plots will show as boxes", FontWarning, stacklevel=3)
            warnings.filterwarnings("ignore", message="Glyph .* missing from")  # the one warning above says it
        yield font


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (Agg), without a timestamp or software tag, so equal plots are equal bytes."""
    buf = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    return buf.getvalue()


def workload_figure(departments: Sequence[str], lead: Mapping[str, int], co: Mapping[str, int],
                    score: Mapping[str, float]) -> Figure:
    """Horizontal bars, one per department (labels as given, the heaviest on top): tasks led and tasks
    co-operated on, stacked, with the weighted workload written at the end of each bar."""
    height = 1.2 + 0.32 * max(len(departments), 1)
    fig = Figure(figsize=(7.5, height), layout="constrained")
    ax = fig.add_subplot()
    names = list(reversed(departments))
    leads = [lead.get(d, 0) for d in names]
    cos = [co.get(d, 0) for d in names]
    ax.barh(names, leads, color=PALETTE[0], label="牵头 lead")
    ax.barh(names, cos, left=leads, color=PALETTE[1], label="配合 co-operate")
    for y, d in enumerate(names):
        ax.text(lead.get(d, 0) + co.get(d, 0) + 0.15, y, f"{score.get(d, 0):g}", va="center", fontsize=8)
    ax.set_xlabel("任务数 tasks (number at the end: weighted workload)")
    ax.set_title("部门工作量 Workload by department")
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.08)
    return fig


def network_figure(C: nx.Graph, groups: Sequence[Sequence[str]], labels: Mapping[str, str],
                   limit: int = 40) -> Figure:
    """The co-responsibility network: departments coloured by community, sized by tasks shared, edges as wide
    as the number of tasks two departments share. Only the ``limit`` departments sharing the most tasks are
    drawn: more would be unreadable."""
    fig = Figure(figsize=(8, 6.5), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    strength = {n: C.degree(n, weight="weight") for n in C}
    shown = sorted(C, key=lambda n: (-strength[n], labels.get(n, n), n))[:limit]
    more = f"; the {len(shown)} sharing most of {C.number_of_nodes()}" if len(shown) < C.number_of_nodes() else ""
    ax.set_title(f"协同网络 Co-responsibility network (colour: community{more})")
    if not shown:
        return fig
    H = C.subgraph(sorted(shown))
    pos = nx.spring_layout(H, weight="weight", seed=7, k=2.2 / len(shown) ** 0.5)
    colour = {n: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups) for n in g}
    nodes = list(H.nodes)
    top = max(strength[n] for n in nodes) or 1
    heaviest = max((w for *_, w in H.edges(data="weight")), default=1)
    nx.draw_networkx_edges(H, pos, ax=ax, width=[0.4 + 2.5 * w / heaviest for *_, w in H.edges(data="weight")],
                           edge_color="#999999", alpha=0.45)
    nx.draw_networkx_nodes(H, pos, ax=ax, nodelist=nodes, node_color=[colour.get(n, "#cccccc") for n in nodes],
                           node_size=[120 + 900 * strength[n] / top for n in nodes], alpha=0.85)
    nx.draw_networkx_labels(H, pos, ax=ax, labels={n: labels.get(n, n) for n in nodes}, font_size=8,
                            font_family="sans-serif",
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
    return fig
