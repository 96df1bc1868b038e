"""Responsibility clauses: who leads (牵头) and who co-operates (配合) on the item a clause closes.

Styles read here: `（责任单位：…）`, `（牵头单位：…；配合单位：…）`, `（X牵头，Y配合）`,
`（X牵头负责，各区政府组织落实）`, label lines (`牵头单位：…` on a line of its own) and run-in labels
after a sentence (`…。责任单位：…`). Lists are split on 、 (one run) and , ; (new runs); a level
prefix (市/省/区/县/镇) distributes over its own run only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.extract.departments import is_collective, looks_like_unit, starts_with_place
from policykg.extract.records import Clause, UnitMention
from policykg.extract.text_utils import BLANK, lines_with_offsets, matching_bracket, strip_span

_LEAD_LABELS = "牵头|责任|主责|主办|推进|承办|负责"
_CO_LABELS = "配合|协办|协同|参与|实施|协助"
LABEL = re.compile(rf"({_LEAD_LABELS}|{_CO_LABELS})(单位|部门|主体|处室|科室)\s*:\s*")
DEADLINE_LABEL = re.compile(r"(完成时限|完成时间|时间节点|时限要求|时间要求|时限|进度要求)\s*:\s*")
_LEAD_VERBS = ("牵头负责", "牵头抓总", "牵头", "负总责")
_ROLE_SUFFIX = re.compile(
    r"(?:(?:按|根据|按照|依据)(?:各自)?(?:职责|职能)(?:分工)?)?"
    r"(牵头负责|牵头抓总|牵头|负总责|负责落实|组织落实|共同负责|分别负责|具体负责|负责|配合落实|组织配合|"
    r"配合|参与|协同|协助|落实|实施|推进)$"
)
_ENUM_TAIL = re.compile(r"等[^、,;()]{0,10}(单位|部门|机构)$|等$")
_COLLECTIVE_TAIL = re.compile(r"^(有关)?(县级市|市|区|县|镇|乡|街道|乡镇|自治区|直辖市|园区)(人民政府|政府)?$")
_LEVEL = "省市区县镇乡"
_NOT_LEVEL = ("市场", "市政", "市容", "区域", "县域")
_NO_PREFIX_STARTS = ("各", "有关", "相关", "属地", "全", "中共", "共青团", "团", "中国", "国家", "中央", "驻")
DATE_PHRASE = re.compile(
    r"(“[^”]{2,6}”期间|\"[^\"]{2,6}\"期间|(?:到|至|于|在)?\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?"
    r"(?:底|末|中|年底|上半年|下半年)?(?:前|以前|之前)?|长期|持续推进|持续开展|常态化)"
)


@dataclass
class _Item:
    start: int
    end: int
    run: int
    name: str = ""
    role: str | None = None  # lead | co | None (not marked)
    marked: bool = False  # a role word was written after this item


def find_clauses(text: str, folded: str) -> list[Clause]:
    """Every responsibility clause in the text, in reading order."""
    clauses = _parenthetical_clauses(text, folded)
    taken = [c.span for c in clauses]
    clauses += [c for c in _label_line_clauses(text, folded) if not _overlaps(c.span, taken)]
    return sorted(clauses, key=lambda c: c.span)


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _parenthetical_clauses(text: str, folded: str) -> list[Clause]:
    clauses: list[Clause] = []
    pos = folded.find("(")
    while pos >= 0:
        close = matching_bracket(folded, pos)
        clause = _parenthetical_clause(text, folded, pos, close) if close > 0 else None
        if clause:
            clauses.append(clause)
            pos = folded.find("(", close + 1)
        else:
            pos = folded.find("(", pos + 1)
    return clauses


def _parenthetical_clause(text: str, folded: str, open_at: int, close_at: int) -> Clause | None:
    start, end = strip_span(folded, open_at + 1, close_at)
    labelled = bool(LABEL.match(folded, start) or DEADLINE_LABEL.match(folded, start))
    bare = not labelled and not _has_role_word(folded[start:end])
    if bare and not _closes_sentence(folded, open_at, close_at):
        return None
    units, deadline = parse_units(text, folded, start, end, strict=not labelled)
    if not units or (bare and not _plainly_units(units)):
        return None
    return Clause(text=text[open_at:close_at + 1], span=(open_at, close_at + 1), units=units, deadline=deadline)


def _closes_sentence(folded: str, open_at: int, close_at: int) -> bool:
    """A bare list of units in brackets is a clause only where a clause stands: after a sentence or at a line end."""
    before = folded[:open_at].rstrip(BLANK)
    after = folded[close_at + 1:close_at + 3].lstrip(BLANK)
    return (not before or before[-1] in "。;:\n") or after[:1] in ("", "\n", "。", ";")


def _plainly_units(units: list[UnitMention]) -> bool:
    """A bare bracket is read as owners only if it lists several units or one with a level prefix (市X局)."""
    return len(units) >= 2 or units[0].name[:1] in _LEVEL + "各"


def _has_role_word(content: str) -> bool:
    return any(w in content for w in ("牵头", "负责", "配合", "落实", "参与", "协同", "协助"))


def _label_line_clauses(text: str, folded: str) -> list[Clause]:
    """`牵头单位：…` lines (consecutive label lines form one clause) and run-in labels after a sentence."""
    clauses: list[Clause] = []
    current: list[tuple[int, int]] = []
    for start, end, _ in lines_with_offsets(folded):
        s, e = strip_span(folded, start, end)
        label_at = _label_start(folded, s, e)
        if label_at is not None and (label_at == s or not current):
            if label_at != s and current:
                clauses.append(_line_clause(text, folded, current))
                current = []
            current.append((label_at, e))
            continue
        if current and (s == e):
            continue
        if current:
            clauses.append(_line_clause(text, folded, current))
            current = []
    if current:
        clauses.append(_line_clause(text, folded, current))
    return [c for c in clauses if c.units]


def _label_start(folded: str, start: int, end: int) -> int | None:
    m = LABEL.match(folded, start) or DEADLINE_LABEL.match(folded, start)
    if m and (LABEL.match(folded, start) or _is_label_line_neighbourhood(folded, start)):
        return start
    for m in LABEL.finditer(folded, start, end):
        if m.start() > start and folded[m.start() - 1] in "。;" + BLANK:
            return m.start()
    return None


def _is_label_line_neighbourhood(folded: str, start: int) -> bool:
    """A deadline label line counts only right after a unit label line (checked by the caller's state)."""
    prev_line_end = folded.rfind("\n", 0, start)
    prev_line_start = folded.rfind("\n", 0, max(prev_line_end, 0)) + 1
    return bool(LABEL.match(folded, prev_line_start)) if prev_line_end > 0 else False


def _line_clause(text: str, folded: str, parts: list[tuple[int, int]]) -> Clause:
    units: list[UnitMention] = []
    deadline = None
    for s, e in parts:
        found, dl = parse_units(text, folded, s, e, strict=False)
        units += found
        deadline = deadline or dl
    start, end = parts[0][0], parts[-1][1]
    return Clause(text=text[start:end], span=(start, end), units=_resolve_roles_again(units),
                  deadline=deadline, source="line")


def _resolve_roles_again(units: list[UnitMention]) -> list[UnitMention]:
    lead_seen = False
    for u in units:
        if u.role == "lead" and not lead_seen:
            lead_seen = True
        elif u.role == "lead":
            u.role = "co"
    if not lead_seen and units:
        units[0].role = "lead"
    return units


_DUTY_VERB = re.compile(
    r":|作为|为|负责|依法|指导|牵头|要|应|会同|配合|按照|对|加强|做好|承担|协助|根据|结合|主要|统筹|由|是"
)


def leading_units(text: str, folded: str, start: int, end: int) -> list[UnitMention]:
    """The units a duty paragraph opens with: `区民防办：负责…`, `镇监察室负责…`, `区更新办由…`."""
    for verb in _DUTY_VERB.finditer(folded, start, min(end, start + 40)):
        if verb.start() == start:
            return []
        # a verb character can sit inside a name (区应急管理局): the first prefix that reads as units wins
        units, _ = parse_units(text, folded, start, verb.start(), strict=True)
        if units:
            return units
    return []


def parse_units(text: str, folded: str, start: int, end: int, strict: bool) -> tuple[list[UnitMention], str | None]:
    """Units of a clause body text[start:end], expanded, with lead/co roles, and its deadline if any.

    Rules read the folded text; names keep the document's own characters (区委组织部（区公务员局）).

    strict: every list item must be a unit (or a date), else the text is not a clause and nothing is
    returned; used for unlabelled brackets, where prose such as `（列第一位者为牵头单位）` is common.
    """
    items: list[_Item] = []
    deadline: str | None = None
    run = 0
    for seg_start, seg_end, label in _segments(folded, start, end):
        if label == "deadline":
            deadline = folded[seg_start:seg_end].strip(BLANK + ";,。") or deadline
            continue
        seg_items, run = _split_items(folded, seg_start, seg_end, run)
        for item in seg_items:
            item.role = label
        items += seg_items
    units: list[_Item] = []
    for item in items:
        if not _read_item(folded, item):
            date = DATE_PHRASE.fullmatch(folded[item.start:item.end].strip())
            if date:
                deadline = deadline or date.group(0)
                continue
            if strict:
                return [], None
            continue
        units.append(item)
    units = _merge_collectives(folded, units)
    _distribute_prefix(units)
    return _with_roles(text, units), deadline


def _segments(folded: str, start: int, end: int) -> list[tuple[int, int, str | None]]:
    """Split a clause body at its labels: (start, end, role of the label: lead | co | deadline | None)."""
    marks: list[tuple[int, int, str]] = []
    for m in LABEL.finditer(folded, start, end):
        marks.append((m.start(), m.end(), "lead" if re.match(_LEAD_LABELS, m.group(1)) else "co"))
    for m in DEADLINE_LABEL.finditer(folded, start, end):
        marks.append((m.start(), m.end(), "deadline"))
    marks.sort()
    segments: list[tuple[int, int, str | None]] = []
    if not marks or marks[0][0] > start:
        segments.append((start, marks[0][0] if marks else end, None))
    for i, (_, body_start, role) in enumerate(marks):
        body_end = marks[i + 1][0] if i + 1 < len(marks) else end
        segments.append((body_start, body_end, role))
    return segments


def _split_items(folded: str, start: int, end: int, run: int) -> tuple[list[_Item], int]:
    """List items on 、 (same run) and , ; 。 (new run); brackets protect their content."""
    items: list[_Item] = []
    depth, item_start = 0, start
    for i in range(start, end + 1):
        ch = folded[i] if i < end else ","
        if ch in "(“《":
            depth += 1
        elif ch in ")”》" and depth:
            depth -= 1
        elif depth == 0 and ch in "、,;。/ \n":
            s, e = strip_span(folded, item_start, i)
            if e > s:
                items.append(_Item(s, e, run))
            if ch in ",;。\n":
                run += 1
            item_start = i + 1
    return items, run + 1


def _read_item(folded: str, item: _Item) -> bool:
    """Strip role words off the item, note its role, and say whether a unit name remains."""
    s, e = item.start, item.end
    while True:
        m = _ROLE_SUFFIX.search(folded, s, e)
        if not m or m.start() == s:
            break
        verb = m.group(1)
        item.role = "lead" if verb in _LEAD_VERBS else (item.role if item.role == "lead" else "co")
        item.marked = True
        e = m.start()
    m = _ENUM_TAIL.search(folded, s, e)
    if m and m.start() > s:
        e = m.start()
    s, e = strip_span(folded, s, e)
    item.start, item.end = s, e
    item.name = folded[s:e]
    return e - s >= 2 and looks_like_unit(item.name)


def _merge_collectives(folded: str, items: list[_Item]) -> list[_Item]:
    """各区、县级市 and 各市、区人民政府 are one collective unit, not two."""
    out: list[_Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (prev and prev.run == item.run and prev.name.startswith(("各", "有关")) and len(prev.name) <= 5
                and _COLLECTIVE_TAIL.match(item.name)):
            prev.end = item.end
            prev.name = folded[prev.start:prev.end]
            prev.role = item.role or prev.role
            continue
        out.append(item)
    return out


def _level_prefix(name: str) -> str | None:
    if name[:1] in _LEVEL and not name.startswith(_NOT_LEVEL):
        return name[0]
    return None


def _needs_prefix(name: str) -> bool:
    if name.startswith(_NO_PREFIX_STARTS) or is_collective(name) or starts_with_place(name):
        return False
    if _level_prefix(name):
        return False
    # a place name of its own (越秀区, 苏州工业园区, 江宁路街道) carries its level already
    if re.search(r"(街道|镇|乡|村|社区|园区)(办事处|人民政府|政府)?$", name):
        return False
    # universities, companies and branches of national ministries (自然资源部东海局) belong to no city
    if re.search(r"(大学|学院|研究院|研究所|公司|集团|银行|医院|协会|学会)$|部.{2,}", name):
        return False
    return not any(ch in name for ch in "省市区县镇乡") or name.startswith(_NOT_LEVEL)


_DIVISION = re.compile(r"^(.+?(?:委员会|委|局|办公室|办|厅))(?:.{2,8}(?:处|科|室))$")
_BARE_DIVISION = re.compile(r"^[^委局办厅]{2,8}(处|科|室)$")


def _distribute_prefix(items: list[_Item]) -> None:
    """市发改委、经信委 -> 市经信委; 市交通委科技信息处、港务监管处 -> 市交通委港务监管处 (a run shares its head)."""
    prefix: str | None = None
    parent: str | None = None
    run = -1
    for item in items:
        if item.run != run:
            run, prefix = item.run, _level_prefix(item.name)
            division = _DIVISION.match(item.name)
            parent = division.group(1) if division else None
            continue
        if parent and _BARE_DIVISION.match(item.name):
            item.name = parent + item.name
        elif prefix and _needs_prefix(item.name):
            item.name = prefix + item.name
        division = _DIVISION.match(item.name)
        parent = division.group(1) if division else parent


def _with_roles(text: str, items: list[_Item]) -> list[UnitMention]:
    """Lead: the first unit marked as lead (label or 牵头), else the first listed; all others co-operate."""
    _spread_roles_backwards(items)
    lead_index = next((i for i, it in enumerate(items) if it.role == "lead"), 0)
    units: list[UnitMention] = []
    seen: set[str] = set()
    for i, it in enumerate(items):
        if it.name in seen:
            continue
        seen.add(it.name)
        prefix = it.name[: len(it.name) - (it.end - it.start)]
        units.append(UnitMention(prefix + text[it.start:it.end], (it.start, it.end),
                                 "lead" if i == lead_index else "co", is_collective(it.name)))
    return units


def _spread_roles_backwards(items: list[_Item]) -> None:
    """`A、B牵头负责` marks A as well as B: a role word ends the run of unmarked units before it."""
    pending: list[_Item] = []
    for it in items:
        if it.marked:
            for p in pending:
                p.role = p.role or it.role
            pending = []
        else:
            pending.append(it)
