"""The heading hierarchy: GB/T 9704 numbering (一、 / （一） / 1. / （1） / ①) and 第一章 / 第一条 documents.

A heading is a line that starts with a numbering marker. Its rank decides its parent (the nearest
open heading of a smaller rank), its path is the numbering of its ancestors joined by '/', and its
kind (part, goal, task_group, task, measure) follows from its title, its ancestors and its children.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.extract.records import Section
from policykg.extract.text_utils import BLANK, find_outside_quotes, lines_with_offsets, strip_span

_CN = "一二三四五六七八九十百零〇"

# (rank, pattern on the folded line, how the path element is written)
_MARKERS: list[tuple[int, re.Pattern[str], str]] = [
    (0, re.compile(rf"第([{_CN}\d]+)(章|部分|篇)"), "第{}{}"),
    (1, re.compile(rf"第([{_CN}\d]+)条"), "第{}条"),
    (1, re.compile(rf"([{_CN}]+)\s*[、.](?![{_CN}\d])"), "{}"),
    (2, re.compile(rf"\(\s*([{_CN}]+)\s*\)"), "（{}）"),
    (3, re.compile(r"(\d{1,3})\s*(?:[、.](?!\d)|\s+(?=[\u4e00-\u9fff]))"), "{}"),
    (4, re.compile(r"\(\s*(\d{1,3})\s*\)"), "（{}）"),
    (5, re.compile(r"([①-⑳])"), "{}"),
]
_LOOSE_ITEM = re.compile(r"(\d{1,3})[、.]")
_ANNEX = re.compile(r"附件\s*(\d{0,2})\s*[::]?\s*(\S.{0,40})?$")

_GOAL = re.compile(r"目标|愿景")
_NOT_GOAL = re.compile(r"任务|措施|举措|路径|重点")
_GUIDANCE = re.compile(
    r"指导思想|基本原则|工作原则|总体要求|总体思路|编制依据|适用范围|工作思路|基本思路|主要原则|背景|现状"
)
# a part of safeguards: its items are measures (titles end this way: 四、组织保障 / 五、强化组织实施 / 六、保障措施)
_MEASURE = re.compile(
    r"(保障措施|组织保障|实施保障|工作保障|保障机制|机制保障|组织实施|组织领导|工作要求|实施要求|"
    r"监督检查|督查考核|考核评估|考核评价|督促检查|附则|其他事项|其他)$"
)
_DATE_CLAUSE = re.compile(
    r"^(到|至|于|在)?\d{4}年(\d{1,2}月)?(\d{1,2}日)?(底|末|中|初|上半年|下半年)?(前|以前|之前|起)?$"
)
_TRAILING_CLAUSE = re.compile(r"\((责任|牵头|主责|配合|协办|实施)[^()]*\)?\s*$")


@dataclass
class _Heading:
    rank: int
    label: str
    start: int  # heading line start (after indentation)
    line_end: int
    marker_end: int


def parse_sections(text: str, folded: str) -> list[Section]:
    """Every heading of the document, in reading order, with path, parent, kind, title and span."""
    headings = _find_headings(folded)
    sections = _build_tree(text, folded, headings)
    _assign_kinds(sections)
    return sections


def _find_headings(folded: str) -> list[_Heading]:
    headings: list[_Heading] = []
    seen_body = False
    last_item = 0
    annexes = 0
    for start, end, line in lines_with_offsets(folded):
        indent = len(line) - len(line.lstrip(BLANK + "#"))
        body = line[indent:]
        if not body:
            continue
        heading = _match_marker(body, start + indent, end) or _next_item(body, start + indent, end, last_item)
        if heading is not None and heading.rank == 3:
            last_item = int(heading.label)
        if heading is None and seen_body:
            annex = _ANNEX.match(body)
            if annex:
                annexes += 1
                label = "附件" + (annex.group(1) or ("" if annexes == 1 else str(annexes)))
                heading = _Heading(0, label, start + indent, end, start + indent + len(body))
                heading.marker_end = start + indent + annex.start(2) if annex.group(2) else end
        if heading is not None:
            seen_body = seen_body or heading.rank >= 1
            headings.append(heading)
    return headings


def _match_marker(body: str, start: int, line_end: int) -> _Heading | None:
    for rank, pattern, fmt in _MARKERS:
        m = pattern.match(body)
        if not m:
            continue
        rest = body[m.end():].lstrip(BLANK)
        if rank in (3, 4) and rest[:1].isdigit():
            continue
        label = fmt.format(*m.groups())
        return _Heading(rank, label, start, line_end, start + m.end())
    return None


def _next_item(body: str, start: int, line_end: int, last_item: int) -> _Heading | None:
    """`11.121人才梯队项目`: an item whose title starts with a digit, accepted only in sequence."""
    m = _LOOSE_ITEM.match(body)
    if m and int(m.group(1)) == last_item + 1:
        return _Heading(3, m.group(1), start, line_end, start + m.end())
    return None


def _build_tree(text: str, folded: str, headings: list[_Heading]) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[_Heading, Section]] = []
    used_paths: set[str] = set()
    for i, h in enumerate(headings):
        while stack and stack[-1][0].rank >= h.rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        path = f"{parent.path}/{h.label}" if parent else h.label
        path = _unique(path, used_paths)
        end = _section_end(headings, i, len(text))
        span = strip_span(text, h.start, end)
        title_start, title_end = _title_bounds(folded, h.marker_end, h.line_end)
        section = Section(
            path=path,
            kind="",
            title=text[title_start:title_end],
            parent=parent.path if parent else None,
            span=span,
            heading_span=(h.start, h.line_end),
            title_span=(title_start, title_end),
            rank=h.rank,
        )
        if parent:
            parent.children.append(path)
        sections.append(section)
        stack.append((h, section))
    return sections


def _unique(path: str, used: set[str]) -> str:
    candidate, n = path, 2
    while candidate in used:
        candidate, n = f"{path}#{n}", n + 1
    used.add(candidate)
    return candidate


def _section_end(headings: list[_Heading], i: int, text_end: int) -> int:
    rank = headings[i].rank
    for later in headings[i + 1:]:
        if later.rank <= rank:
            return later.start
    return text_end


def _title_bounds(folded: str, start: int, line_end: int) -> tuple[int, int]:
    """The heading phrase: the first sentence when it is a phrase, else the first clause."""
    start, line_end = strip_span(folded, start, line_end)
    if start >= line_end:
        return start, start
    stop = find_outside_quotes(folded, "。", start, line_end)
    sentence_end = line_end if stop < 0 else stop
    comma = find_outside_quotes(folded, ",;", start, sentence_end)
    if comma < 0:
        end = sentence_end
    else:
        colon = find_outside_quotes(folded, ":", start, comma)
        if 0 <= colon - start <= 20 and colon > start:
            end = colon
        else:
            end = _first_meaningful_clause(folded, start, sentence_end)
            if end[0] != start:
                start = end[0]
            end = end[1]
    end = _drop_trailing_clause(folded, start, end)
    return strip_span(folded, start, end, BLANK + "。:;,")


def _first_meaningful_clause(folded: str, start: int, limit: int) -> tuple[int, int]:
    """First clause up to ',' or ';' outside quotes, skipping a clause that is only a date."""
    pos = start
    while pos < limit:
        stop = find_outside_quotes(folded, ",;", pos, limit)
        end = limit if stop < 0 else stop
        if not _DATE_CLAUSE.match(folded[pos:end].strip()):
            return pos, end
        if stop < 0:
            break
        pos = stop + 1
    stop = find_outside_quotes(folded, ",;", start, limit)
    return start, limit if stop < 0 else stop


def _drop_trailing_clause(folded: str, start: int, end: int) -> int:
    m = _TRAILING_CLAUSE.search(folded, start, end)
    return m.start() if m else end


def _assign_kinds(sections: list[Section]) -> None:
    by_path = {s.path: s for s in sections}
    for s in sections:
        top = s
        while top.parent is not None:
            top = by_path[top.parent]
        s.kind = _kind(s, top, by_path)


def _kind(s: Section, top: Section, by_path: dict[str, Section]) -> str:
    if s.path.startswith("附件") and s is top:
        return "part"
    if _is_goal(s.title) or any(_is_goal(a.title) for a in _ancestors(s, by_path)):
        return "goal"
    if s is top or (s.rank == 0 and s.children):
        return "part"
    chain = [*_ancestors(s, by_path), s]
    if any(_GUIDANCE.search(a.title) for a in chain):
        return "part"
    if _MEASURE.search(top.title):
        return "measure"
    if s.children:
        return "task_group"
    if s.path.rsplit("/", 1)[-1].endswith("条"):
        return "measure"
    return "task"


def _is_goal(title: str) -> bool:
    return bool(_GOAL.search(title)) and not _NOT_GOAL.search(title) and len(title) <= 20


def _ancestors(s: Section, by_path: dict[str, Section]) -> list[Section]:
    out: list[Section] = []
    while s.parent is not None:
        s = by_path[s.parent]
        out.append(s)
    return out[::-1]
