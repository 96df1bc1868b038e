"""Links between indicators that state the same target, and the audit of targets no department owns.

* ``same_as``: a goal-level target restated in a task. Two numeric targets are the same when their
  magnitudes agree and their subjects share most of their character bigrams; two qualitative ones when
  they carry the same deadline year and nearly the same wording. Pairs are taken best first, one to one,
  so two targets that merely share a number (20个 brands of two kinds) are not linked.
* ``unassigned``: a quantitative indicator is owned when it sits in a task that names a department, or is
  the same target as one that does. Qualitative (optional) targets are not audited.
* suggestions: for each unassigned indicator, the owned tasks whose title and text are nearest to it
  (character bigrams weighted by how rare they are among the tasks). They are suggestions for a human
  reviewer, never ownership.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Protocol

from policykg.extract.records import Indicator, OwnerSuggestion, Task

SUGGESTIONS_PER_INDICATOR = 3
_NUMERIC_MIN_OVERLAP = 0.6
_NUMERIC_MIN_JACCARD = 0.2
_QUALITATIVE_MIN_JACCARD = 0.6
_MIN_BIGRAMS = 3
_MAGNITUDES = (("万亿", 10**12), ("千亿", 10**11), ("亿", 10**8), ("千万", 10**7), ("百万", 10**6),
               ("万", 10**4), ("千", 10**3))
_NOT_TEXT = re.compile(r"[\s\W_]+")


class LinkCandidate(Protocol):
    owner_kind: str
    subject: str
    value: int | float | None
    value_max: int | float | None
    unit: str | None
    year: int | None


# --- similarity -----------------------------------------------------------------------------------------


def bigrams(s: str) -> set[str]:
    """Character bigrams of the text's letters and digits (punctuation and spaces dropped, NFKC folded)."""
    s = _NOT_TEXT.sub("", unicodedata.normalize("NFKC", s or ""))
    return {s[i:i + 2] for i in range(len(s) - 1)} or ({s} if s else set())


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def overlap(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the larger (a restatement may add qualifiers)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def magnitude(value: int | float | None, unit: str | None) -> tuple[float, str] | None:
    """(value in the base unit, base unit): 1 万亿元 and 10000 亿元 are the same amount."""
    if value is None:
        return None
    unit = unit or ""
    for prefix, scale in _MAGNITUDES:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return float(value) * scale, unit[len(prefix):]
    return float(value), unit


# --- same_as --------------------------------------------------------------------------------------------


def same_as_pairs(targets: Sequence[LinkCandidate]) -> list[tuple[int, int]]:
    """(goal index, task index) pairs stating the same target, best first, each target in one pair at most."""
    scored: list[tuple[float, int, int]] = []
    goals = [i for i, t in enumerate(targets) if t.owner_kind != "task"]
    tasks = [j for j, t in enumerate(targets) if t.owner_kind == "task"]
    for i in goals:
        for j in tasks:
            score = link_score(targets[i], targets[j])
            if score is not None:
                scored.append((score, i, j))
    scored.sort(key=lambda x: (-round(x[0], 9), x[1], x[2]))
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in scored:
        if i in used or j in used:
            continue
        used.update((i, j))
        pairs.append((i, j))
    return sorted(pairs)


def link_score(goal: LinkCandidate, task: LinkCandidate) -> float | None:
    """How surely two targets are one; None when they cannot be."""
    a, b = bigrams(goal.subject), bigrams(task.subject)
    if min(len(a), len(b)) < _MIN_BIGRAMS:
        return None
    if goal.value is None or task.value is None:
        if goal.value is not None or task.value is not None or goal.year is None or goal.year != task.year:
            return None
        score = jaccard(a, b)
        return score if score >= _QUALITATIVE_MIN_JACCARD else None
    if magnitude(goal.value, goal.unit) != magnitude(task.value, task.unit):
        return None
    if magnitude(goal.value_max, goal.unit) != magnitude(task.value_max, task.unit):
        return None
    if goal.year is not None and task.year is not None and goal.year != task.year:
        return None
    if overlap(a, b) < _NUMERIC_MIN_OVERLAP or jaccard(a, b) < _NUMERIC_MIN_JACCARD:
        return None
    return overlap(a, b) + jaccard(a, b)


# --- audit ----------------------------------------------------------------------------------------------


def owned_task_paths(tasks: Sequence[Task]) -> set[str]:
    """Paths of the tasks whose responsibility clause names at least one department."""
    return {t.path for t in tasks if t.lead or t.co}


def unassigned_indicators(indicators: Sequence[Indicator], owned: set[str]) -> list[str]:
    """Ids of the quantitative indicators that no department owns, directly or through same_as."""
    owner_of = {i.id: i.owner for i in indicators}
    out: list[str] = []
    for ind in indicators:
        if ind.value is None or ind.owner in owned:
            continue
        if ind.same_as is not None and owner_of.get(ind.same_as) in owned:
            continue
        out.append(ind.id)
    return out


def suggest_owners(text: str, indicators: Sequence[Indicator], unassigned: Sequence[str], tasks: Sequence[Task],
                   per_indicator: int = SUGGESTIONS_PER_INDICATOR) -> list[OwnerSuggestion]:
    """For each unassigned indicator, up to `per_indicator` owned tasks ranked by wording similarity."""
    candidates = [t for t in tasks if t.lead or t.co]
    if not candidates or not unassigned:
        return []
    task_grams = [bigrams(t.title + _task_body(text, t)) for t in candidates]
    idf = _idf(task_grams)
    unseen = max(idf.values(), default=1.0)
    by_id = {i.id: i for i in indicators}
    out: list[OwnerSuggestion] = []
    for ident in unassigned:
        ind = by_id[ident]
        query = bigrams(ind.subject) | bigrams(ind.text)
        ranked = sorted(
            ((weighted_containment(query, grams, idf, unseen), n) for n, grams in enumerate(task_grams)),
            key=lambda x: (-round(x[0], 9), x[1]),
        )
        for score, n in ranked[:per_indicator]:
            if score > 0:
                task = candidates[n]
                out.append(OwnerSuggestion(indicator=ident, task=task.path, score=score, lead=task.lead))
    return out


def _task_body(text: str, task: Task) -> str:
    """The task's text without its responsibility clause (department names say nothing about the topic)."""
    start, end = task.span
    if task.responsibility_span:
        r_start, r_end = task.responsibility_span
        return text[start:r_start] + text[r_end:end]
    return text[start:end]


def _idf(documents: Sequence[set[str]]) -> dict[str, float]:
    df: dict[str, int] = {}
    for grams in documents:
        for g in grams:
            df[g] = df.get(g, 0) + 1
    n = len(documents)
    return {g: math.log((n + 1) / (count + 1)) + 1.0 for g, count in df.items()}


def weighted_containment(query: set[str], document: set[str], idf: dict[str, float],
                         unseen: float | None = None) -> float:
    """Share of the query's bigram weight found in the document; a bigram no task has weighs the most.

    unseen: that top weight, max(idf); pass it in when scoring many pairs (it costs a pass over idf).
    """
    unseen = max(idf.values(), default=1.0) if unseen is None else unseen
    total = sum(idf.get(g, unseen) for g in query)
    if not total:
        return 0.0
    return sum(idf.get(g, unseen) for g in query if g in document) / total


__all__ = [
    "SUGGESTIONS_PER_INDICATOR",
    "LinkCandidate",
    "bigrams",
    "jaccard",
    "link_score",
    "magnitude",
    "overlap",
    "owned_task_paths",
    "same_as_pairs",
    "suggest_owners",
    "unassigned_indicators",
    "weighted_containment",
]
