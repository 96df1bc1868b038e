"""Find task-breakdown tables (任务分解表 / 重点任务分工表) that a Word/PDF-to-text conversion flattened.

A flattened table is one cell per line, or one cell per block of lines when the conversion put blank
lines between cells. A table is recognised only under a header row that names at least a task-like
column and a unit column (牵头/责任/配合 ...). Rows start at a bare 序号 integer continuing the sequence
(1, 2, 3 ...); a table without a 序号 column is read only when its rows can be delimited by their unit
cells, otherwise it is skipped.

Inside a row, cells are matched to columns by a small dynamic programme over what each cell looks like
(unit list, deadline, empty mark, prose), so rows that lost cells to merged cells or that carry
multi-line cells still land in the right columns. A row with no unit cell of its own inherits the unit
cells of the row above (a merged cell in the original) and is marked ``inherited``.

Every cell string is the verbatim slice of the input at its span (multi-line cells keep their line
breaks); matching runs on ``fold(text)``, which keeps every offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise

from policykg.extract.normalize import fold

Span = tuple[int, int]

__all__ = ["TableCell", "TableRow", "TaskTable", "find_task_tables"]


@dataclass
class TableCell:
    """A cell of a column that has no field of its own in TableRow (category, detail, note, plan ...)."""

    role: str
    text: str
    span: Span
    inherited: bool = False  # copied from a merged cell of an earlier row; span points there


@dataclass
class TableRow:
    number: str  # the 序号 cell as written, or the running index when the table has no 序号 column
    task: str  # verbatim text of the task cell (line breaks of a multi-line cell kept)
    task_span: Span
    lead_cell: str | None  # None when the cell is an empty mark (——, /) or the table has no such cell
    lead_span: Span | None
    co_cell: str | None
    co_span: Span | None
    deadline: str | None
    deadline_span: Span | None
    span: Span  # the row's own cells, from its first cell to its last (inherited cells lie before it)
    inherited: bool = False  # lead/co were copied from the merged unit cells of an earlier row
    extra: list[TableCell] = field(default_factory=list)


@dataclass
class TaskTable:
    span: Span  # from the first header cell to the end of the last row
    columns: list[str]  # column roles in order: number, category, task, detail, lead, co, deadline ...
    header_cells: list[str]  # as written (a header cell split over two lines keeps its line break)
    rows: list[TableRow]


# --- header vocabulary --------------------------------------------------------------------------------

_HEADER_TERMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "task": (
        "工作任务", "主要任务", "重点任务", "任务内容", "工作内容", "具体任务", "工作措施", "重点内容",
        "主要内容", "重点工作", "工作重点", "主要工作", "具体措施", "主要措施", "工作举措", "任务措施",
        "重点举措", "具体工作", "任务", "工作事项", "任务事项", "目标任务", "建设内容", "实施内容",
        "改革任务", "推进措施", "具体举措",
    ),
    "category": (
        "任务名称", "事项", "任务类型", "类别", "分类", "任务分类", "项目", "领域", "板块", "类型",
        "工作类别", "主要方向", "方向", "重点领域", "行动", "专项行动", "任务类别", "工作板块", "工作类型",
        "工作领域", "工作项目", "项目名称", "任务来源",
    ),
    "detail": (
        "具体内容", "具体要求", "工作要求", "目标要求", "工作目标", "预期目标", "主要目标", "完成标准",
        "工作标准", "预期成果", "成果形式", "目标", "任务目标", "工作成效", "考核标准", "量化指标", "指标",
    ),
    "lead": (
        "牵头单位", "牵头部门", "责任单位", "责任部门", "推进单位", "主责单位", "主责部门", "牵头",
        "负责单位", "负责部门", "牵头责任单位", "牵头负责单位", "责任主体", "主办单位", "责任处室",
        "牵头处室", "责任科室", "牵头科室", "牵头单位(部门)", "责任单位(部门)",
    ),
    "co": (
        "配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协助单位", "配合", "配合处室",
        "协办部门", "参与部门", "协同部门", "会同单位", "配合科室", "协作单位", "配合单位(部门)",
    ),
    "implementer": ("实施主体", "实施单位", "实施部门", "落实单位", "具体实施单位", "承办单位"),
    "deadline": (
        "完成时限", "完成时间", "时间节点", "时间安排", "进度安排", "完成期限", "时限", "时间",
        "时间要求", "推进时间", "计划完成时间", "进度要求", "实施时间", "完成时限要求", "时间进度",
        "完成节点", "时序安排", "实施期限", "办结时限", "完成年限",
    ),
    "note": ("备注", "说明", "参考文件", "政策依据", "依据", "参考依据", "文件依据", "相关依据", "政策文件"),
}
_HEADER_ROLE = {term: role for role, terms in _HEADER_TERMS.items() for term in terms}
_PLAN_HEADER = re.compile(r"^\d{4}(?:-\d{4})?年(?:度)?(?:工作项目|工作计划|计划|目标|任务|工作|项目)?$")
_TASK_SIDE_ROLES = frozenset({"task", "category", "detail"})
_UNIT_ROLES = frozenset({"lead", "co", "implementer"})
_TEXT_ROLES = frozenset({"task", "category", "detail", "plan", "note", "other"})
_MAX_UNKNOWN_HEADER = 8  # an unnamed header cell is short ("位置", "面积(公顷)")
_MAX_HEADER_CELLS = 24
_MAX_UNKNOWN_RUN = 3

# --- cell shapes --------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_INTEGER = re.compile(r"^(\d{1,4})[.、]?$")
_EMPTY_MARK = re.compile(r"^(?:[—\-/\\~]+|无|暂无|空)$")
_PAGE_MARK = re.compile(r"^(?:[-—–]+\d{1,4}[-—–]+|第\d{1,4}页(?:共\d{1,4}页)?|\d{1,4}/\d{1,4})$")
_TRAILING_PAREN = re.compile(r"(?:\([^()]*\))+$")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|〔[^〔〕]*〕")
_UNIT_SEPARATORS = re.compile(r"[、,;/]+")
_UNIT_NOISE = re.compile(r"[“”\"'‘’《》*※]")
_UNIT_SUFFIXES = (
    "局", "委", "办", "部", "厅", "处", "室", "科", "院", "队", "中心", "集团", "公司", "政府", "街道",
    "镇", "乡", "村", "园区", "专班", "单位", "部门", "机构", "机关", "企业", "银行", "学校", "大学",
    "委员会", "协会", "联合会", "商会", "工会", "学会", "居委会", "村委会", "联席会议", "联", "署",
    "馆", "电视台", "报社", "共青团", "主体", "区", "县", "市", "海关", "社区", "居委", "派出所",
    "研究所", "事务所", "管理所", "领导小组", "工作组", "小组", "管理站", "服务站", "工作站",
)
_UNIT_SUFFIX = re.compile("(?:" + "|".join(sorted(_UNIT_SUFFIXES, key=len, reverse=True)) + ")$")
# names with these endings are organisations even when they open like a verb (建设处, 规划科)
_STRONG_UNIT_SUFFIXES = (
    "局", "委", "办", "处", "厅", "科", "中心", "集团", "公司", "政府", "街道", "委员会", "单位", "部门",
    "机构", "机关", "企业", "支队", "大队",
)
# a cell that opens with a verb and ends weakly is a task (建设示范区, 成立工作组)
_TASK_VERB = re.compile(
    r"^(?:推进|加强|建立|完善|开展|落实|推动|实施|制定|组织|成立|建设|召开|提升|加快|深化|强化|健全|研究|"
    r"探索|鼓励|支持|做好|完成|新建|改造|打造|创建|构建|优化|规范|提高|促进|引导|发挥|编制|修订|整治|"
    r"清理|排查|确保|坚持|严格|全面|持续|积极|进一步|依托|结合|围绕|聚焦|指导|督促|配合|协助|负责|牵头)"
)
_MAX_UNIT_NAME = 25
_DATE_LIKE = re.compile(r"\d{4}\s*年|\d{4}[.\-/]\d{1,2}|\d{1,2}\s*月|[一二三四]季度")
_DEADLINE_WORDS = re.compile(
    r"^(?:\d{4}年)?(?:长期|持续|常态化?|逐年|分年度|按年度|按计划|按进度|立即|即时|近期|中期|远期|年底前?|"
    r"年内|全年|每年|每季度|每月|每半年|上半年|下半年|\"十[一二三四五六七八九]五\"期间|十[一二三四五六七八九]五期间)"
    r"(?:推进|实施|开展|坚持|完成|落实|执行)?[。.]?$"
)
_MAX_DEADLINE = 25
_SENTENCE_END = re.compile(r"[。;!?！？]$")
_OPEN_END = re.compile(r"(?:[、,;:和及与等(]|\(+[^)]*)$")
_CN_NUMERAL = "[一二三四五六七八九十]+"
_GROUP_ROW = re.compile(
    rf"^(?:行动|专项|任务|领域|板块|方面|篇|部分)?{_CN_NUMERAL}[、:]|^第{_CN_NUMERAL}(?:部分|篇|板块)"
)

# headings that end a table unless the table visibly goes on right after them
_HEADING = re.compile(
    rf"^(?:{_CN_NUMERAL}[、.]|\({_CN_NUMERAL}\)|第[一二三四五六七八九十百零\d]+[章节条篇]|第{_CN_NUMERAL}部分)"
)
_ANNEX = re.compile(r"^附[件表]\s*[\d一二三四五六七八九十]*\s*(?:[:、.]|$|\s)")
_HEADING_LOOKAHEAD = 4  # pieces after a heading in which a numbered table must show its next row
_CATEGORY_LOOKAHEAD = 8  # pieces after a heading-like category cell in which unit cells must follow
_MAX_CATEGORY_HEADING = 30

_MARKERS = (
    ("cn", 1, re.compile(r"^([一二三四五六七八九十]+)[、.]")),
    ("paren_cn", 2, re.compile(r"^\(([一二三四五六七八九十]+)\)")),
    ("arabic", 3, re.compile(r"^(\d{1,3})[、.](?!\d)")),
    ("paren_arabic", 4, re.compile(r"^\((\d{1,3})\)")),
    ("circled", 5, re.compile(r"^([①-⑳])")),
)

_MAX_ROW_PIECES = 40  # no real row has this many cells; beyond it the table has ended
_SHORT = 20
_LONG = 60


# --- lines and pieces ---------------------------------------------------------------------------------


@dataclass
class _Line:
    start: int
    end: int
    key: str  # folded, stripped
    blank_before: bool


@dataclass
class _Piece:
    """One cell candidate: a line, or a block of lines when the table separates cells by blank lines."""

    start: int
    end: int
    key: str  # folded, line breaks and spaces removed
    kind: str = "text"  # integer | empty | unit | deadline | text
    marker_style: str | None = None
    marker_rank: int = 0
    marker_number: int | None = None
    bare_marker: bool = False  # nothing but a numbering mark, e.g. "(一)"

    @property
    def short(self) -> bool:
        return len(self.key) <= _SHORT and "。" not in self.key

    @property
    def sentence(self) -> bool:
        return len(self.key) >= _LONG or "。" in self.key

    @property
    def fragment(self) -> bool:
        return self.kind == "text" and len(self.key) <= 4

    @property
    def open_end(self) -> bool:
        return bool(_OPEN_END.search(self.key)) or self.key.count("(") > self.key.count(")")

    @property
    def group_row(self) -> bool:
        return bool(_GROUP_ROW.match(self.key))


def _lines(folded: str) -> list[_Line]:
    lines: list[_Line] = []
    blank_before = False
    position = 0
    for raw in folded.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = position + len(raw) - len(raw.lstrip())
            lines.append(_Line(start, position + len(raw.rstrip()), stripped, blank_before))
            blank_before = False
        else:
            blank_before = True
        position += len(raw) + 1
    return lines


def _compact(key: str) -> str:
    return _SPACES.sub("", key)


def _make_piece(lines: list[_Line]) -> _Piece:
    piece = _Piece(lines[0].start, lines[-1].end, "".join(_compact(line.key) for line in lines))
    piece.kind = _kind_of(piece.key)
    for style, rank, pattern in _MARKERS:
        match = pattern.match(piece.key)
        if match:
            piece.marker_style, piece.marker_rank = style, rank
            piece.marker_number = _marker_number(match.group(1))
            piece.bare_marker = match.end() == len(piece.key)
            break
    return piece


def _pieces(lines: list[_Line], blocks: bool) -> list[_Piece]:
    """Cells of a table region: one per line, or one per blank-separated block in block mode."""
    if not blocks:
        pieces = [_make_piece([line]) for line in lines if not _PAGE_MARK.match(_compact(line.key))]
        return _mark_split_units(pieces)
    pieces = []
    block: list[_Line] = []
    for line in lines:
        if line.blank_before and block:
            pieces.append(_make_piece(block))
            block = []
        if not _PAGE_MARK.match(_compact(line.key)):
            block.append(line)
    if block:
        pieces.append(_make_piece(block))
    return _mark_split_units(pieces)


def _mark_split_units(pieces: list[_Piece]) -> list[_Piece]:
    """A unit name broken before its last characters (申通地铁 / 集团) counts as a unit cell."""
    for piece, following in pairwise(pieces):
        if piece.kind == "text" and following.fragment and _looks_like_units(piece.key + following.key):
            piece.kind = "unit"
    return pieces


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _marker_number(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    if "①" <= token <= "⑳":
        return ord(token) - ord("①") + 1
    if token == "十":
        return 10
    if len(token) == 1:
        return _CN_DIGITS.get(token)
    if len(token) == 2 and token[0] == "十":
        return 10 + _CN_DIGITS.get(token[1], 0)
    if len(token) == 2 and token[1] == "十":
        return 10 * _CN_DIGITS.get(token[0], 0)
    return None


# --- what a cell looks like ---------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _kind_of(key: str) -> str:
    if _INTEGER.match(key):
        return "integer"
    if _EMPTY_MARK.match(key):
        return "empty"
    if _looks_like_units(key):
        return "unit"
    if _looks_like_deadline(key):
        return "deadline"
    return "text"


def _looks_like_units(key: str) -> bool:
    """A list of organisation names only: every item ends like a unit (局, 委, 办, 街道, 集团 ...)."""
    if len(key) > 300 or "。" in key or ":" in key:
        return False
    cleaned = _UNIT_NOISE.sub("", key)
    previous = None
    while previous != cleaned:  # nested brackets: 区委宣传部(区文明办、区政府新闻办)
        previous, cleaned = cleaned, _PARENTHESES.sub("", cleaned)
    items = [item for item in _UNIT_SEPARATORS.split(cleaned) if item]
    if not items:
        return False
    proper = 0
    for item in items:
        kind = _unit_item_kind(item)
        if kind is None:
            return False
        proper += kind
    # "委、办、局" abbreviates names and needs at least one full name beside it
    return proper >= 1 and proper * 2 >= len(items)


def _unit_item_kind(item: str) -> int | None:
    """1 for a full unit name, 0 for a bare suffix standing for a name (the 办 of 委、办、局), else None."""
    item = item.removesuffix("等")
    if len(item) > _MAX_UNIT_NAME or any(ch.isdigit() for ch in item) or "%" in item:
        return None
    suffix = _UNIT_SUFFIX.search(item)
    if suffix is None:
        return None
    if _TASK_VERB.match(item) and not item.endswith(_STRONG_UNIT_SUFFIXES):
        return None
    return 1 if suffix.start() > 0 else 0


def _looks_like_deadline(key: str) -> bool:
    if len(key) > _MAX_DEADLINE or "。" in key.rstrip("。"):
        return False
    return bool(_DATE_LIKE.search(key) or _DEADLINE_WORDS.match(key))


# --- header -------------------------------------------------------------------------------------------


@dataclass
class _Header:
    start: int  # index of the first header line
    stop: int  # index after the last header line
    roles: list[str]
    cells: list[Span]

    def repeats(self, other: _Header) -> bool:
        """A copy of ``other`` at a page break, possibly with a cell lost in the conversion."""
        return set(self.roles) <= set(other.roles)


def _header_term(key: str) -> str:
    term = _compact(key).rstrip(":")
    return _TRAILING_PAREN.sub("", term) or term


def _header_role(key: str) -> str | None:
    term = _header_term(key)
    if term in _HEADER_ROLE:
        return _HEADER_ROLE[term]
    if _PLAN_HEADER.match(term):
        return "plan"
    return None


def _unknown_header_cell(key: str) -> bool:
    term = _header_term(key)
    return (
        0 < len(term) <= _MAX_UNKNOWN_HEADER
        and not re.search(r"[。,;:、!?“”\"]", term)
        and _kind_of(term) == "text"
    )


def _read_header_cells(lines: list[_Line], index: int) -> Iterator[tuple[str | None, int, int]]:
    """(role or None for an unnamed cell, first line, line after) of consecutive header-like lines."""
    limit = min(len(lines), index + _MAX_HEADER_CELLS)
    unknown_run = 0
    while index < limit and unknown_run <= _MAX_UNKNOWN_RUN:
        if index + 1 < limit:
            joined = lines[index].key + lines[index + 1].key
            role = _header_role(joined)
            if role is not None and len(_header_term(joined)) <= 12:  # a header cell split in two: 牵头/部门
                unknown_run = 0
                yield role, index, index + 2
                index += 2
                continue
        role = _header_role(lines[index].key)
        if role is None and not _unknown_header_cell(lines[index].key):
            return
        unknown_run = 0 if role else unknown_run + 1
        yield role, index, index + 1
        index += 1


def _opens_header(lines: list[_Line], index: int) -> bool:
    """Whether a header can start here: unnamed cells before the first named one are not kept."""
    if _header_role(lines[index].key) is not None:
        return True
    return index + 1 < len(lines) and _header_role(lines[index].key + lines[index + 1].key) is not None


def _read_header(lines: list[_Line], index: int) -> _Header | None:
    if not _opens_header(lines, index):
        return None
    cells: list[tuple[str | None, int, int]] = []
    for cell in _read_header_cells(lines, index):
        if cell[0] == "number" and any(role == "number" for role, _, _ in cells):
            break  # the next table's header, or this one repeated
        cells.append(cell)
    while cells and cells[-1][0] is None:
        cells.pop()
    while cells and cells[0][0] is None:
        cells.pop(0)
    roles = [role or "other" for role, _, _ in cells]
    if len(roles) < 2 or not _TASK_SIDE_ROLES & set(roles) or not _UNIT_ROLES & set(roles):
        return None
    spans = [(lines[first].start, lines[after - 1].end) for _, first, after in cells]
    return _Header(cells[0][1], cells[-1][2], _settle_roles(roles), spans)


def _settle_roles(roles: list[str]) -> list[str]:
    """Give the table one task and one co column when the header names them only indirectly."""
    roles = list(roles)
    if "task" not in roles:
        # a table whose only task-like column is 事项/任务名称 lists its tasks there
        last = max(i for i, role in enumerate(roles) if role in ("category", "detail"))
        roles[last] = "task"
    if "co" not in roles and "implementer" in roles:
        roles[roles.index("implementer")] = "co"
    return roles


def _blank_separated(lines: list[_Line], header: _Header) -> bool:
    gaps = [lines[i].blank_before for i in range(header.start + 1, header.stop)]
    return bool(gaps) and sum(gaps) * 2 >= len(gaps)


# --- costs of matching a cell to a column -------------------------------------------------------------


@dataclass
class _RowContext:
    roles: list[str]
    blocks: bool
    trailing_cells_wanted: bool  # the table has columns before 序号, filled from the previous row's tail
    last_row: bool
    task_style: str | None = None  # numbering style that marks the task cell in a table without 序号


_SKIP_COST = {
    "task": 3.0, "category": 0.2, "detail": 1.0, "plan": 1.0, "other": 0.6, "note": 0.3,
    "lead": 0.85, "co": 0.8, "implementer": 0.75, "deadline": 0.8,
}
_UNIT_CONTINUATION = {"lead": 0.9, "co": 1.0, "implementer": 1.1}
_NEW_CELL_AFTER_OPEN_END = 1.0


def _skip_cost(roles: list[str], column: int) -> float:
    role = roles[column]
    if role == "category":
        # the coarser (left) category is the one a merged cell most often leaves out
        return _SKIP_COST[role] + 0.05 * roles[:column].count("category")
    return _SKIP_COST.get(role, 0.6)


def _emission(role: str, piece: _Piece, ctx: _RowContext) -> float:
    cost = _base_emission(role, piece)
    if ctx.task_style is not None:
        if piece.marker_style == ctx.task_style:
            cost += 0.0 if role == "task" else 1.5
        elif role == "task":
            cost += 1.0
    return cost


def _base_emission(role: str, piece: _Piece) -> float:
    kind = piece.kind
    if kind == "empty":
        return 0.5 if role == "task" else 0.1
    if role in _UNIT_ROLES:
        return {"unit": 0.0, "deadline": 4.0}.get(kind, 5.0 if piece.group_row else 4.0)
    if role == "deadline":
        if kind == "deadline":
            return 0.0
        return 5.0 if kind == "unit" else (1.5 if piece.short and not piece.group_row else 4.0)
    if role == "task":
        if kind == "unit":
            return 2.5
        return 1.5 if kind == "deadline" else (2.5 if piece.group_row else 0.0)
    if role == "category":
        if kind in ("unit", "deadline"):
            return 2.0 if kind == "unit" else 1.5
        if piece.group_row or piece.bare_marker:
            return 0.3
        if piece.short:
            return 0.0
        return 0.8 if len(piece.key) <= 30 and not piece.sentence else 2.0
    if role == "note":
        if kind in ("unit", "deadline"):
            return 1.5 if kind == "unit" else 1.0
        return 1.5 if len(piece.key) > 80 else 0.3
    # detail, plan, other
    if kind == "unit":
        return 2.0
    if kind == "deadline":
        return 0.3 if role == "plan" else 1.0
    return 2.5 if piece.group_row else 0.0


def _continuation(role: str, piece: _Piece, previous: _Piece, ctx: _RowContext) -> float:
    if piece.kind == "empty" or previous.kind == "empty" or piece.group_row:
        return float("inf")
    if ctx.task_style is not None and piece.marker_style == ctx.task_style:
        return 4.0
    if previous.bare_marker or (previous.open_end and not piece.sentence and _fits(role, piece)):
        return 0.1
    if piece.fragment:
        return 0.6
    if role in _UNIT_ROLES:
        return _UNIT_CONTINUATION[role] if piece.kind == "unit" else 4.0
    if role == "deadline":
        return 1.5 if piece.kind == "deadline" else 3.0
    if piece.kind == "unit":
        return 2.5
    if piece.kind == "deadline":
        return 1.2 if role == "plan" else 1.5
    text_continuation = 1.5 if ctx.blocks else 1.2
    # between a task cell and a further prose column, a doubtful piece goes to the further column
    return text_continuation + (0.1 if role == "task" else 0.0)


def _fits(role: str, piece: _Piece) -> bool:
    """Whether a piece can carry on a cell of this column (a unit list goes on with units)."""
    if piece.fragment:
        return True
    if role in _UNIT_ROLES:
        return piece.kind == "unit"
    if role == "deadline":
        return piece.kind == "deadline"
    return piece.kind in ("text", "deadline")


def _trailer(piece: _Piece, ctx: _RowContext) -> float:
    """Cost of leaving a piece out of the row: it belongs to the next row's leading columns, to a
    full-width group row (行动一：...), or to whatever follows the table."""
    if piece.group_row:
        return 0.1
    if ctx.last_row:
        return 0.25
    if ctx.trailing_cells_wanted:
        if piece.kind == "unit":
            return 1.0
        if piece.kind == "text":
            return 0.2 if piece.short else (0.6 if len(piece.key) <= 30 and not piece.sentence else 3.0)
        return 0.5 if piece.kind == "empty" else 1.5
    if piece.kind == "text" and piece.short:
        return 0.6
    if piece.kind == "text" and len(piece.key) <= 30 and not piece.sentence:
        return 1.2
    return 3.0


def _align(pieces: list[_Piece], ctx: _RowContext) -> list[int]:
    """Column index of each piece (len(roles) = left out of the row), by least total cost.

    Pieces keep their order; each column takes zero or more consecutive pieces; the pieces left out
    form a tail of the row."""
    roles = ctx.roles
    width = len(roles)
    if not pieces:
        return []
    skip_prefix = [0.0]
    for column in range(width):
        skip_prefix.append(skip_prefix[-1] + _skip_cost(roles, column))

    def skipped(first: int, after: int) -> float:
        return skip_prefix[after] - skip_prefix[first] if after > first else 0.0

    def placed(column: int, piece: _Piece) -> float:
        return _trailer(piece, ctx) if column == width else _emission(roles[column], piece, ctx)

    inf = float("inf")
    costs = [[inf] * (width + 1) for _ in pieces]
    back = [[-1] * (width + 1) for _ in pieces]
    for column in range(width + 1):
        costs[0][column] = skipped(0, column) + placed(column, pieces[0])
    for index in range(1, len(pieces)):
        piece, previous = pieces[index], pieces[index - 1]
        open_penalty = _NEW_CELL_AFTER_OPEN_END if previous.open_end and not previous.bare_marker else 0.0
        for column in range(width + 1):
            emit = placed(column, piece)
            best, best_from = inf, -1
            for before in range(column + 1):
                cost = costs[index - 1][before]
                if cost == inf:
                    continue
                if before == column:
                    step = _trailer(piece, ctx) if column == width else _continuation(
                        roles[column], piece, previous, ctx)
                else:
                    step = skipped(before + 1, column) + emit + open_penalty
                if cost + step < best:
                    best, best_from = cost + step, before
            costs[index][column], back[index][column] = best, best_from
    last = len(pieces) - 1
    finals = [costs[last][column] + skipped(column + 1, width) for column in range(width + 1)]
    column = min(range(width + 1), key=lambda c: (finals[c], c))
    assignment = [0] * len(pieces)
    for index in range(last, -1, -1):
        assignment[index] = column
        column = back[index][column]
    return assignment


# --- rows ---------------------------------------------------------------------------------------------


@dataclass
class _RowDraft:
    number: str
    pieces: list[_Piece]  # the row's cells after its start (序号 excluded)
    number_span: Span | None  # where the 序号 cell stands; None in a table without 序号
    leading: list[_Piece] = field(default_factory=list)  # cells of columns before 序号


@dataclass
class _Carry:
    """What a row hands to the next one: unit, deadline and category cells a merged cell may repeat."""

    units: dict[int, TableCell | None] = field(default_factory=dict)
    deadline: TableCell | None = None
    categories: dict[int, TableCell] = field(default_factory=dict)


def _cell(text: str, role: str, pieces: list[_Piece]) -> TableCell:
    start, end = pieces[0].start, pieces[-1].end
    return TableCell(role, text[start:end], (start, end))


def _build_row(text: str, draft: _RowDraft, columns: list[int], roles: list[str],
               assignment: list[int], carry: _Carry) -> TableRow | None:
    """Turn aligned pieces into a TableRow, filling merged cells from the carry."""
    by_column: dict[int, list[_Piece]] = {}
    for piece, column in zip(draft.pieces, assignment, strict=True):
        if column < len(columns):
            by_column.setdefault(columns[column], []).append(piece)
    own: dict[int, TableCell | None] = {}
    for column, pieces in by_column.items():
        empty = all(piece.kind == "empty" for piece in pieces)
        own[column] = None if empty else _cell(text, roles[column], pieces)
    for column, piece in _leading_cells(draft.leading, roles):
        own[column] = None if piece.kind == "empty" else _cell(text, roles[column], [piece])

    task_column = roles.index("task")
    task = own.get(task_column) or _fallback_task(own, roles)
    if task is None:
        return None
    unit_columns = [i for i, role in enumerate(roles) if role in _UNIT_ROLES]
    inherited = not any(column in own for column in unit_columns) and any(carry.units.values())
    units = dict(carry.units) if inherited else {c: own.get(c) for c in unit_columns}
    deadline_column = roles.index("deadline") if "deadline" in roles else None
    deadline = own.get(deadline_column) if deadline_column in own else carry.deadline
    carry.units = units
    carry.deadline = deadline
    extra = _extra_cells(own, roles, carry, {task_column, deadline_column, *unit_columns})
    lead = _first_of_role(units, roles, "lead")
    co = _first_of_role(units, roles, "co")
    for column in unit_columns:
        cell = units.get(column)
        if cell is not None and cell not in (lead, co):
            extra.append(TableCell(cell.role, cell.text, cell.span, inherited))
    extra.sort(key=lambda cell: roles.index(cell.role))
    own_spans = [cell.span for cell in own.values() if cell is not None]
    own_spans += [(piece.start, piece.end) for piece in draft.pieces if piece.kind == "empty"]
    if draft.number_span is not None:
        own_spans.append(draft.number_span)
    row_start = min(span[0] for span in own_spans)
    row_end = max(span[1] for span in own_spans)
    return TableRow(
        number=draft.number,
        task=task.text,
        task_span=task.span,
        lead_cell=lead.text if lead else None,
        lead_span=lead.span if lead else None,
        co_cell=co.text if co else None,
        co_span=co.span if co else None,
        deadline=deadline.text if deadline else None,
        deadline_span=deadline.span if deadline else None,
        span=(row_start, row_end),
        inherited=inherited and (lead is not None or co is not None),
        extra=extra,
    )


def _leading_cells(leading: list[_Piece], roles: list[str]) -> list[tuple[int, _Piece]]:
    """Cells of the columns before 序号, right-aligned: earlier pieces are full-width group rows."""
    number_column = roles.index("number") if "number" in roles else 0
    kept = [piece for piece in leading if not piece.group_row]
    kept = kept[-number_column:] if number_column else []
    first = number_column - len(kept)
    return [(first + offset, piece) for offset, piece in enumerate(kept)]


def _fallback_task(own: dict[int, TableCell | None], roles: list[str]) -> TableCell | None:
    for wanted in ("detail", "category"):
        for column, cell in own.items():
            if cell is not None and roles[column] == wanted:
                return cell
    return None


def _first_of_role(units: dict[int, TableCell | None], roles: list[str], role: str) -> TableCell | None:
    columns = [column for column in sorted(units) if roles[column] == role]
    return units[columns[0]] if columns else None


def _extra_cells(own: dict[int, TableCell | None], roles: list[str], carry: _Carry,
                 handled: set[int | None]) -> list[TableCell]:
    extra: list[TableCell] = []
    coarser_changed = False  # a new coarse category closes the finer categories of the group above
    for column, role in enumerate(roles):
        if column in handled or role == "number":
            continue
        cell = own.get(column)
        if role == "category":
            if column in own:
                coarser_changed = True
                if cell is not None:
                    carry.categories[column] = cell
                else:
                    carry.categories.pop(column, None)
            elif coarser_changed:
                carry.categories.pop(column, None)
            elif column in carry.categories:
                earlier = carry.categories[column]
                cell = TableCell(earlier.role, earlier.text, earlier.span, inherited=True)
        if cell is not None:
            extra.append(cell)
    return extra


# --- segmentation -------------------------------------------------------------------------------------


def _ends_table(pieces: list[_Piece], index: int, goes_on: Callable[[int], bool]) -> bool:
    """An annex mark always ends the table; a heading ends it unless the table visibly continues."""
    piece = pieces[index]
    if _ANNEX.match(piece.key):
        return True
    if _HEADING.match(piece.key) and piece.kind != "unit":
        return not goes_on(index)
    return False


def _numbered_drafts(text: str, pieces: list[_Piece], first_post_role: str) -> list[_RowDraft]:
    drafts: list[_RowDraft] = []
    leading: list[_Piece] = []
    expected = 1

    def starts_row(index: int, number: int) -> bool:
        piece = pieces[index]
        match = _INTEGER.match(piece.key) if piece.kind == "integer" else None
        if not match or int(match.group(1)) != number:
            return False
        if drafts and not drafts[-1].pieces:
            return False
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if following is None or following.kind == "integer":
            return False
        return not (first_post_role in _TEXT_ROLES and following.kind in ("unit", "deadline"))

    def goes_on(index: int) -> bool:
        window = range(index + 1, min(len(pieces), index + 1 + _HEADING_LOOKAHEAD))
        return any(starts_row(i, expected) for i in window)

    for index, piece in enumerate(pieces):
        if _ends_table(pieces, index, goes_on):
            break
        if starts_row(index, expected):
            drafts.append(_RowDraft(text[piece.start:piece.end], [], (piece.start, piece.end), leading))
            leading = []
            expected += 1
            continue
        if not drafts:
            leading.append(piece)
            continue
        if len(drafts[-1].pieces) >= _MAX_ROW_PIECES:
            break
        drafts[-1].pieces.append(piece)
    return drafts


def _task_style(pieces: list[_Piece], unit_runs: int) -> str | None:
    """The numbering style of task cells in a table without 序号: the finest style used, if it is at
    least as frequent as rows are (a coarser style numbers groups of rows, not rows)."""
    counts: dict[tuple[int, str], int] = {}
    for piece in pieces:
        if piece.marker_style is not None:
            key = (piece.marker_rank, piece.marker_style)
            counts[key] = counts.get(key, 0) + 1
    frequent = [key for key, count in counts.items() if count >= 2]
    if not frequent:
        return None
    rank, style = max(frequent)
    return style if counts[(rank, style)] >= unit_runs else None


def _unit_runs(pieces: list[_Piece]) -> int:
    runs, inside = 0, False
    for piece in pieces:
        if piece.kind == "unit" and not inside:
            runs += 1
        inside = piece.kind == "unit" or (inside and piece.kind in ("deadline", "empty"))
    return runs


def _unnumbered_drafts(pieces: list[_Piece], roles: list[str], task_style: str | None) -> list[_RowDraft]:
    """Rows of a table without 序号: a row ends with its unit cells; a new numbered task cell or, when
    the task is the only prose column, a second whole sentence cell also starts a row."""
    sole_prose_column = sum(role in ("task", "detail", "plan", "note", "other") for role in roles) == 1
    segments: list[list[_Piece]] = [[]]
    after_units = False
    segment_has_task = False  # the current row already holds a numbered task cell
    next_task_number: int | None = None

    def goes_on(index: int) -> bool:
        if len(pieces[index].key) > _MAX_CATEGORY_HEADING:
            return False
        window = pieces[index + 1: index + 1 + _CATEGORY_LOOKAHEAD]
        return any(piece.kind == "unit" for piece in window)

    for index, piece in enumerate(pieces):
        if _ends_table(pieces, index, goes_on):
            break
        current = segments[-1]
        if len(current) >= _MAX_ROW_PIECES:
            break
        numbered_task = (
            task_style is not None
            and piece.marker_style == task_style
            and next_task_number in (None, piece.marker_number)
        )
        if numbered_task:
            next_task_number = (piece.marker_number or 0) + 1
        if current and (
            (numbered_task and segment_has_task)
            or (not numbered_task and _starts_unnumbered_row(piece, current, after_units, sole_prose_column))
            or (numbered_task and after_units)
        ):
            segments.append([*_take_group_cells(current, piece, numbered_task), piece])
            segment_has_task = numbered_task
        else:
            current.append(piece)
            segment_has_task = segment_has_task or numbered_task
        if piece.kind == "unit":
            after_units = True
        elif piece.kind == "text":
            after_units = False
    return [
        _RowDraft(str(number), segment, None)
        for number, segment in enumerate((s for s in segments if s), start=1)
    ]


def _starts_unnumbered_row(piece: _Piece, current: list[_Piece], after_units: bool,
                           sole_prose_column: bool) -> bool:
    if piece.kind != "text":
        return False
    if after_units:
        return True
    previous = current[-1]
    return (
        sole_prose_column
        and previous.kind == "text"
        and previous.sentence
        and piece.sentence
        and bool(_SENTENCE_END.search(previous.key))
    )


def _take_group_cells(current: list[_Piece], piece: _Piece, numbered_task: bool) -> list[_Piece]:
    """Move the category cells just before a new numbered task cell (4、..., (二) ...) to its row."""
    if not numbered_task:
        return []
    taken = 0
    index = len(current) - 1
    while index >= 0:
        candidate = current[index]
        coarser = candidate.marker_style is not None and candidate.marker_rank < piece.marker_rank
        if coarser:
            taken = len(current) - index
        elif not (index > 0 and current[index - 1].bare_marker and candidate.short):
            break
        index -= 1
    moved = current[len(current) - taken:] if taken else []
    del current[len(current) - taken:]
    return moved


# --- tables -------------------------------------------------------------------------------------------


def find_task_tables(text: str) -> list[TaskTable]:
    """Every flattened task table in ``text``, in document order."""
    lines = _lines(fold(text))
    headers = _headers(lines)
    region_ends = _region_ends(headers, len(lines))
    tables: list[TaskTable] = []
    failed: tuple[_Header, int] | None = None  # a header that gave no table, and the end of its region
    for header, region_end in zip(headers, region_ends, strict=True):
        if failed is not None and header.start < failed[1] and header.repeats(failed[0]):
            continue  # the same body was already read, from an earlier copy of this header
        if tables and lines[header.start].start < tables[-1].span[1]:
            continue  # a header repeated at a page break inside the table just read
        table = _read_table(text, lines, header, region_end)
        if table is None:
            failed = (header, region_end)
        else:
            tables.append(table)
            failed = None
    return tables


def _headers(lines: list[_Line]) -> list[_Header]:
    headers: list[_Header] = []
    index = 0
    while index < len(lines):
        header = _read_header(lines, index)
        if header is None:
            index += 1
            continue
        headers.append(header)
        index = header.stop
    return headers


def _region_ends(headers: list[_Header], line_count: int) -> list[int]:
    """Where each header's table must end at the latest: at the next header that does not repeat it."""
    ends = [line_count] * len(headers)
    for position in range(len(headers) - 2, -1, -1):
        following = headers[position + 1]
        repeated = following.repeats(headers[position])
        ends[position] = ends[position + 1] if repeated else following.start
    return ends


def _read_table(text: str, lines: list[_Line], header: _Header, region_end: int) -> TaskTable | None:
    blocks = _blank_separated(lines, header)
    body = _without_repeated_headers(lines, header, region_end)
    pieces = _pieces(body, blocks)
    roles = header.roles
    if "number" in roles:
        rows = _numbered_rows(text, pieces, roles, blocks)
    else:
        rows = _unnumbered_rows(text, pieces, roles, blocks)
    if not rows or not any(row.lead_cell or row.co_cell for row in rows):
        return None
    header_cells = [text[start:end] for start, end in header.cells]
    end = max(row.span[1] for row in rows)
    return TaskTable((header.cells[0][0], end), roles, header_cells, rows)


def _without_repeated_headers(lines: list[_Line], header: _Header, region_end: int) -> list[_Line]:
    body: list[_Line] = []
    index = header.stop
    after_repeat = False
    while index < region_end:
        repeat = _read_header(lines, index)
        if repeat is not None and repeat.repeats(header):
            index = repeat.stop
            after_repeat = True
            continue
        line = lines[index]
        if after_repeat:  # the removed header stood between two cells
            line = replace(line, blank_before=True)
            after_repeat = False
        body.append(line)
        index += 1
    return body


def _numbered_rows(text: str, pieces: list[_Piece], roles: list[str], blocks: bool) -> list[TableRow]:
    number_column = roles.index("number")
    columns = list(range(number_column + 1, len(roles)))
    if "task" not in [roles[c] for c in columns]:
        return []
    drafts = _numbered_drafts(text, pieces, roles[columns[0]])
    post_roles = [roles[c] for c in columns]
    rows: list[TableRow] = []
    carry = _Carry()
    for position, draft in enumerate(drafts):
        last = position == len(drafts) - 1
        ctx = _RowContext(post_roles, blocks, number_column > 0 and not last, last)
        assignment = _align(draft.pieces, ctx)
        if not last:
            pairs = zip(draft.pieces, assignment, strict=True)
            tail = [piece for piece, column in pairs if column == len(columns)]
            drafts[position + 1].leading = tail + drafts[position + 1].leading
        row = _build_row(text, draft, columns, roles, assignment, carry)
        if row is not None:
            rows.append(row)
    return rows


def _unnumbered_rows(text: str, pieces: list[_Piece], roles: list[str], blocks: bool) -> list[TableRow]:
    last_unit = max(i for i, role in enumerate(roles) if role in _UNIT_ROLES)
    if any(role != "deadline" for role in roles[last_unit + 1:]):
        return []  # cells after the unit cells would blur where rows end
    task_style = _task_style(pieces, _unit_runs(pieces))
    drafts = _unnumbered_drafts(pieces, roles, task_style)
    columns = list(range(len(roles)))
    rows: list[TableRow] = []
    carry = _Carry()
    owning_units = 0
    for position, draft in enumerate(drafts):
        ctx = _RowContext(roles, blocks, False, position == len(drafts) - 1, task_style)
        assignment = _align(draft.pieces, ctx)
        if any(roles[c] in _UNIT_ROLES for c in assignment if c < len(roles)):
            owning_units += 1
        row = _build_row(text, draft, columns, roles, assignment, carry)
        if row is None:
            return []
        rows.append(row)
    if len(rows) < 2 or owning_units * 2 < len(rows):
        return []
    return rows
