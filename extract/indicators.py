"""Quantitative targets: what is counted, how much, by when, and which goal or task section states it.

A target is a quantity (extract/numbers.py) in the own text of a goal or task section that survives the
non-target rules (dates, names in quotes, ordinals, durations, ages, thresholds inside a subject,
conditions of a penalty clause, subsidy amounts). Its subject is read from the clause around it:

* ``SUBJECT (comparator) N unit``   公众满意率达到70%以上       -> the text before the number
* ``VERB (comparator) N unit OBJECT``  培育10个具有影响力的品牌   -> the verb and the object
* lists sharing one verb             拥有A150件、B1000件        -> each item, the verb carried along
* 分别 constructions                 A、B、C分别达到X、Y、Z      -> one subject per value

Qualitative targets (no number) are kept only when a goal states them with a deadline and a task restates
them with the same deadline: that pair is what ``same_as`` links, and anything looser would mostly add
noise. The component at the bottom runs detection, the links and the audit inside the spaCy pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from policykg.extract.audit import owned_task_paths, same_as_pairs, suggest_owners, unassigned_indicators
from policykg.extract.numbers import COUNT_UNITS, Quantity, find_quantities
from policykg.extract.records import Indicator, Section, Span
from policykg.extract.text_utils import BLANK, strip_span

# --- lexicons of the genre ------------------------------------------------------------------------------

# comparator words written before the number, longest first when matched
_PRE_COMPARATORS: dict[str, str] = {
    **dict.fromkeys(("达到", "达", "不少于", "不低于", "不小于", "至少", "提高到", "提高至", "提升到", "提升至",
                     "增加到", "增加至", "增长到", "增长至", "增至", "扩大到", "扩大至", "稳定在", "保持在",
                     "达到或超过", "不得低于", "不得少于", "不应低于", "不宜低于", "保持", "稳定"), ">="),
    **dict.fromkeys(("超过", "高于", "大于", "多于", "超", "突破"), ">"),
    **dict.fromkeys(("不超过", "不高于", "不大于", "不多于", "控制在", "降至", "降到", "下降到", "下降至",
                     "降低到", "降低至", "减少到", "减少至", "压缩到", "压缩至", "缩短到", "缩短至", "压减至",
                     "减至", "不得超过", "不得高于", "不得大于", "不应超过", "不宜超过"), "<="),
    **dict.fromkeys(("低于", "小于", "少于", "不足"), "<"),
    **dict.fromkeys(("约", "大约"), "~"),
}
_PRE_CMP_ORDER = sorted(_PRE_COMPARATORS, key=len, reverse=True)
# a comparator whose base is named before the number: 不低于当年计划任务量的70%
_CMP_WITH_BASE = re.compile(rf"({'|'.join(_PRE_CMP_ORDER)})[^,;:的]{{1,16}}的$")
_SUFFIX = re.compile(r"(及以上|以上|及以下|以下|以内|之内|左右|上下|内)")
_SUFFIX_COMPARATOR = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=",
                      "内": "<=", "左右": "~", "上下": "~"}

# verbs that govern a planned count (培育10个…, 选拔资助200名…); joined by 和/与/及/并/或/、 they make one run
_VERBS = frozenset((
    "培育", "培养", "引进", "建设", "建成", "创建", "新建", "打造", "选拔", "资助", "评选", "认定",
    "扶持", "培训", "遴选", "筹建", "组织", "发动", "设立", "推进", "完成", "实现", "新增", "改造",
    "更换", "安装", "服务", "转化", "创办", "选派", "支持", "鼓励", "推动", "吸引", "招聘", "招收",
    "录用", "派出", "开展", "举办", "建立", "形成", "推出", "推广", "命名", "评定", "孵化", "带动",
    "拥有", "获得", "争创", "申报", "提供", "开工", "竣工", "投入", "实施", "启动", "搭建", "构建",
    "树立", "表彰", "帮扶", "救助", "安置", "吸纳", "轮训", "选聘", "储备", "接收", "参与", "发展",
    "筹集", "聘请", "召开", "制定", "修订", "出台", "编制", "发布", "整治", "治理", "清理", "拆除",
    "改建", "扩建", "修复", "种植", "栽植", "铺设", "敷设", "配备", "配置", "设置", "增设", "布设",
    "覆盖", "引导", "输送", "招引", "引育", "认证", "评审", "抽查", "检测", "监测", "排查", "处置",
    "消除", "查处", "办理", "受理", "办结", "回收", "处理", "新开", "开通", "建", "产生", "创设",
    "挂牌", "打响", "培植", "创评", "集聚", "聚集", "承担", "主导", "导入", "接受", "推荐", "筛选",
    "征集", "收集", "走访", "慰问", "救治", "体检", "筛查", "接种", "帮助", "扶助", "新改建", "新建改建",
    "认领", "建立健全", "跟踪培养", "评选资助",
))
_VERB_JOINERS = ("和", "与", "及", "并", "或", "、")
_MAX_VERB_LEN = max(len(v) for v in _VERBS)

_SEPARATORS = ("以及", "、", "和", "及", "与", "或")
_CLAUSE_STOPS = ",;:"
_QUOTE_CLOSERS = {"“": "”", '"': '"', "《": "》", "「": "」"}
_SENTENCE_STOPS = "。!?\n"

_TARGET_YEAR = re.compile(
    r"(?P<to>到|至|截至|截止到|截止)?\s*(?P<year>(?:19|20)\d{2})\s*年"
    r"(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?(?P<end>底|末|年底)?(?P<before>前|以前|之前)?"
)
_FIVE_YEAR_PLAN = re.compile(r"“?\"?十(?P<n>[一二三四五六七八九])五”?\"?(?:规划)?(?:期间|末|时期)")
_CN_ORDINAL = "一二三四五六七八九"

# noise around a subject: time phrases, scope words, adverbs, framing verbs
_LEADING_NOISE = re.compile(
    r"^(?:(?:到|至|截至)?\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)?(?:前|以前|之前)?|\d+年内|"
    r"“?十[一二三四五六七八九]五”?(?:期间|末|时期)?|每年度?|年内|今后\d*年|"
    r"全市|全区|全县|全省|全镇|我市|本市|我区|本区|我县|本县|"
    r"其中|同时|此外|另外|并且|并|再|共|累计|总计|合计|共计|"
    r"重点|大力|积极|努力|力争|争取|确保|全面|进一步|加快|着力|切实|不断|持续|逐步|基本|初步|择优|优先|预计|"
    r"计划|力求|要|将|应|[一二三四五六七八九十]是|\(\s*[\d一二三四五六七八九十]{1,3}\s*\)|\d{1,3}[、.](?!\d)|"
    r"[一二三四五六七八九十两\d]+年(?:内|来|间)?|[,、\s“\"])+"
)
_FRAMING = re.compile(r"^(?:实现|使|让|推动|促进)")
_TRAILING_NOISE = re.compile(
    r"(?:(?:由|从)[\d.,]+\S{0,4}|累计|总计|共计|合计|共|均|分别|要|将|应|力争|争取|的|[,、\s\"“])+$"
)
_LONG_MODIFIER = re.compile(r"^(?=[^的]{12,}的)[^的“”()]*、[^的“”()]*的")
_ENUMERATION = re.compile(r"^[^“”()]*、[^“”()]*等")
_RESPECTIVELY = re.compile(r"分别$|(?<![年人平日户])均$")
_RATIO = re.compile(r"(?:率|比重|比例|指数|占比)$")
_TRAILING_OBJECT_NOISE = re.compile(r"(?:工作|任务|的|[,、\s])+$")
_RELATIVE = re.compile(r"^(?:占|(?:年均|年平均|同比)?(?:增长率|增速|增幅|增长|提高|比重|占比|比例))")

_CUMULATIVE = re.compile(r"累计|总数|总计|拥有")
_STOCK_TOTAL = re.compile(r"总量")
_EVERY_YEAR = re.compile(r"每年")
_YEARLY_AVERAGE = re.compile(r"年均|年平均")
_FLOW = re.compile(r"增加值|产值|收入|营收|销售|投资|出口|进口|生产总值|GDP|消费|税收|利润|营业额")

# what makes a numeral a name rather than a count: 百人计划, 十大工程
_NAME_AFTER = re.compile(r"(?:计划|工程|行动|活动|专项|战略|体系|机制|模式|格局|目标|大|强|佳|优)")
# a quantity that is a subsidy amount, not a target
_SUBSIDY_BEFORE = re.compile(r"给予|补贴|补助|奖补|奖励标准|资助标准")
# written just before a number that is no count of its own: an ordinal (第3), a rank (前10), a rate base
# (每万人), a cap (最高50万元), a baseline (由7%提高到), the size of a list (等8个方面), a past fact (新增了),
# or an annotation in brackets (片区(4.7平方公里))
_NOT_COUNT_BEFORE = ("第", "前", "每", "号", "最高", "最多", "最低", "单个", "由", "从", "等", "了", "(")
# a fact or a prohibition rather than a commitment: 已完成, 现有, 目前, 未设置, 严禁
_STATUS_BEFORE = re.compile(r"已|现有|目前|现状|尚未|未(?!来)|没有|禁止|严禁")
# a distance that bounds a place rather than counts work: 50米范围内, 300米服务半径, 500米覆盖率
_LENGTH_UNITS = ("米", "千米", "公里")
_SCOPE_AFTER = re.compile(r"(?:以内|之内|内|范围|半径|服务半径|距离|覆盖)")
# how often, not how much: 15天完成1次
_FREQUENCY_BEFORE = re.compile(r"[\d一二三四五六七八九十半]+\s*(?:天|日|周|个月|月|年)[^,;:]{0,4}$")
# the end of a clause that states a condition: …超过2米的, …不大于1/4者, …小于15米时
_CONDITION_END = ("的", "者", "时")
# what may follow a threshold before the 的 that makes it part of a subject: 3人以上9人以下的
_THRESHOLD_TAIL = re.compile(r"[\d.,~\-至到以上下内及或和、%‰万亿千百十个名人家项台件户元米吨亩]*(?:的|者)")
_PHRASE_END = ("", *",;:。!?\n", "、", "和", "及", "”", '"', ")")
_END_STATE = re.compile(r"^(?:建立|建成|形成|实现|完成|构建|消除)")
_QUAL_ADVERBS = re.compile(r"(?:基本|全面|初步|努力|力争|切实|进一步|加快|全部|有效)+")

_OWNER_KINDS = ("goal", "task")
_MAX_FALLBACK_SUBJECT = 30
_MIN_QUALITATIVE = 6  # 建立机制 alone is a process, not a stated end state
_LIST_REACH = 40  # how far back a Chinese numeral may find the list it continues (培育十家…，建设百个…)


# --- records used while reading -----------------------------------------------------------------------


@dataclass
class Target:
    """A detected target before it is numbered; `owner_kind` tells goal-level from task-level."""

    owner: str
    owner_kind: str
    subject: str
    span: Span
    value: int | float | None
    value_max: int | float | None
    unit: str | None
    comparator: str | None
    year: int | None
    cumulative: bool = False
    per_year: bool = False

    @property
    def qualitative(self) -> bool:
        return self.value is None


@dataclass
class _Item:
    """One accepted quantity with the pieces of its clause."""

    quantity: Quantity
    clause: Span
    suffix: str = ""
    group: int = 0  # items with the same group share one subject phrase (a value list: 1000家、500家)


@dataclass
class _Carried:
    """What a list item hands to the next one in its sentence: its verb, its 每年, its subject."""

    verb: str = ""
    per_year: bool = False
    subject: str = ""


@dataclass
class _Phrase:
    subjects: list[str]
    before: str  # text from the item start to the first number (comparator included)
    has_object: bool
    per_year: bool


@dataclass
class _Context:
    text: str
    folded: str
    by_path: dict[str, Section]
    own: dict[str, list[Span]]  # each section's own text: what no smaller section covers


# --- public entry points --------------------------------------------------------------------------------


def find_targets(text: str, folded: str, sections: list[Section]) -> list[Target]:
    """Every numeric target of the goal and task sections, and the dated qualitative candidates."""
    ctx = _Context(text, folded, {s.path: s for s in sections}, own_text(sections, len(text)))
    found: list[Target] = []
    for section in sections:
        owner = owner_path(section, ctx.by_path)
        if owner is None:
            continue
        kind = "task" if section.kind == "task" else "goal"
        for start, end in _body_ranges(section, ctx):
            for s_start, s_end in sentences(folded, start, end):
                found += _sentence_targets(ctx, section, kind, s_start, s_end)
                found += _qualitative_targets(ctx, section, kind, s_start, s_end)
    found.sort(key=lambda t: (t.span[0], t.span[1]))
    return found


def find_indicators(text: str, folded: str, sections: list[Section]) -> list[Indicator]:
    """Numbered indicators: numeric targets, plus qualitative ones that a task restates (linked both ways)."""
    targets = find_targets(text, folded, sections)
    pairs = same_as_pairs(targets)
    linked = {i for pair in pairs for i in pair}
    keep = [i for i, t in enumerate(targets) if not t.qualitative or i in linked]
    new_id = {old: f"I{n:02d}" for n, old in enumerate(keep, start=1)}
    partner: dict[int, int] = {}
    for a, b in pairs:
        partner[a], partner[b] = b, a
    return [_indicator(text, targets[i], new_id[i], new_id.get(partner[i]) if i in partner else None)
            for i in keep]


def owner_path(section: Section, by_path: dict[str, Section]) -> str | None:
    """The path that owns the section's own targets: a goal or task, or a part heading goals (its preamble)."""
    if section.kind in _OWNER_KINDS:
        return section.path
    if section.kind == "part" and any(by_path[c].kind == "goal" for c in section.children if c in by_path):
        return section.path
    return None


def _indicator(text: str, t: Target, ident: str, same_as: str | None) -> Indicator:
    start, end = t.span
    return Indicator(
        id=ident, owner=t.owner, subject=t.subject, text=text[start:end], value=t.value, value_max=t.value_max,
        unit=t.unit, comparator=t.comparator, year=t.year, cumulative=t.cumulative, per_year=t.per_year,
        optional=t.qualitative, same_as=same_as, span=t.span,
    )


# --- text geometry --------------------------------------------------------------------------------------


def own_text(sections: list[Section], length: int) -> dict[str, list[Span]]:
    """Each section's own text: the characters for which it is the smallest enclosing section. Unlike the
    parent/child view this stays right when sections overlap (a flattened table row beside its headings),
    so no character is read twice."""
    painted: list[int] = [-1] * length
    by_size = sorted(range(len(sections)), key=lambda i: -(sections[i].span[1] - sections[i].span[0]))
    for i in by_size:
        start, end = sections[i].span
        end = min(end, length)
        if start < end:
            painted[start:end] = [i] * (end - start)
    own: dict[str, list[Span]] = {s.path: [] for s in sections}
    run_start = 0
    for pos in range(1, length + 1):
        if pos == length or painted[pos] != painted[run_start]:
            if painted[run_start] >= 0:
                own[sections[painted[run_start]].path].append((run_start, pos))
            run_start = pos
    return own


def _body_ranges(section: Section, ctx: _Context) -> list[Span]:
    """The section's own text without its numbering (1. / (一) / 一、)."""
    numbering = (section.heading_span[0], section.title_span[0])
    out: list[Span] = []
    for start, end in ctx.own.get(section.path, []):
        if start <= numbering[0] < end:
            if start < numbering[0]:
                out.append((start, numbering[0]))
            start = max(start, numbering[1])
        if start < end:
            out.append((start, end))
    return out


def sentences(folded: str, start: int, end: int) -> list[Span]:
    """Sentence spans (up to and without 。!? or a line break) inside [start, end)."""
    out: list[Span] = []
    pos = start
    for i in range(start, end):
        if folded[i] in _SENTENCE_STOPS:
            if i > pos:
                out.append((pos, i))
            pos = i + 1
    if pos < end:
        out.append((pos, end))
    return out


def clause_of(folded: str, pos: int, s_start: int, s_end: int) -> Span:
    """The clause (between , ; :) of the sentence [s_start, s_end) that holds pos."""
    start = pos
    while start > s_start and folded[start - 1] not in _CLAUSE_STOPS:
        start -= 1
    end = pos
    while end < s_end and folded[end] not in _CLAUSE_STOPS:
        end += 1
    return start, end


def quoted_spans(folded: str, start: int, end: int) -> list[tuple[int, int, bool]]:
    """(start, end, is_statement) of “…” / "…" / 《…》 in [start, end); a quoted statement has , or ; inside."""
    out: list[tuple[int, int, bool]] = []
    i = start
    while i < end:
        closer = _QUOTE_CLOSERS.get(folded[i])
        j = folded.find(closer, i + 1, end) if closer else -1
        if j < 0:
            i += 1
            continue
        inner = folded[i + 1:j]
        out.append((i, j + 1, folded[i] != "《" and any(c in inner for c in ",;")))
        i = j + 1
    return out


# --- years ----------------------------------------------------------------------------------------------


def target_years(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """(position, year) of every target-year phrase: 到2020年, 2025年底前, “十四五”期间 (-> 2025)."""
    out: list[tuple[int, int]] = []
    for m in _TARGET_YEAR.finditer(folded, start, end):
        if _is_target_year(folded, m, start):
            out.append((m.start(), int(m["year"])))
    for m in _FIVE_YEAR_PLAN.finditer(folded, start, end):
        out.append((m.start(), plan_end_year(11 + _CN_ORDINAL.index(m["n"]))))
    return sorted(out)


def plan_end_year(n: int) -> int:
    """The last year of the n-th Five-Year Plan (十三五 ends 2020, 十四五 2025)."""
    return 2020 + 5 * (n - 13)


def _is_target_year(folded: str, m: re.Match[str], floor: int) -> bool:
    after = folded[m.end(): m.end() + 2]
    if after[:1] in ("起", "以", "开", "度", "的", "为", "基", "同") or after.startswith(("以来", "开始")):
        return False
    before = folded[max(floor, m.start() - 1): m.start()]
    if before in ("从", "自", "较", "比", "与", "在", "于") and not m["before"]:
        return False
    if m["to"] or m["end"] or m["before"]:
        return True
    day_written = re.search(r"\d\s*日", m.group(0)) is not None
    opens_clause = m.start() == floor or folded[m.start() - 1] in _CLAUSE_STOPS + _SENTENCE_STOPS
    return not day_written and opens_clause and after[:1] in (",", "")


def _sentence_year(folded: str, pos: int, s_start: int, s_end: int) -> int | None:
    """The nearest target year stated before pos in its sentence, else one stated later in its clause."""
    years = target_years(folded, s_start, s_end)
    before = [y for p, y in years if p < pos]
    if before:
        return before[-1]
    c_start, c_end = clause_of(folded, pos, s_start, s_end)
    after = [y for p, y in years if c_start <= p < c_end]
    return after[0] if after else None


def heading_year(section: Section, ctx: _Context, goal_level: bool) -> int | None:
    """A year set by an enclosing heading: any heading title that states one; for a goal also the opening
    clause of its own text or of an ancestor's preamble (a goals part opening with 到2020年 dates them all)."""
    s: Section | None = section
    while s is not None:
        years = target_years(ctx.folded, *s.title_span)
        if years:
            return years[0][1]
        if goal_level:
            opening = _opening_clause(s, ctx)
            if opening:
                years = target_years(ctx.folded, *opening)
                if years:
                    return years[0][1]
        s = ctx.by_path.get(s.parent) if s.parent else None
    return None


def _opening_clause(section: Section, ctx: _Context) -> Span | None:
    """The first clause of the section's own text after its heading phrase."""
    ranges = [(max(start, section.title_span[1]), end) for start, end in _body_ranges(section, ctx)
              if end > section.title_span[1]]
    if not ranges:
        return None
    start, end = strip_span(ctx.folded, *ranges[0], BLANK + "。.")
    stop = start
    while stop < end and ctx.folded[stop] not in _CLAUSE_STOPS + _SENTENCE_STOPS:
        stop += 1
    return (start, stop) if stop > start else None


# --- which quantities are targets -----------------------------------------------------------------------


def _accepted_items(ctx: _Context, s_start: int, s_end: int) -> list[_Item]:
    folded = ctx.folded
    quotes = quoted_spans(folded, s_start, s_end)
    items: list[_Item] = []
    for q in find_quantities(folded, s_start, s_end):
        clause = clause_of(folded, q.start, s_start, s_end)
        suffix_m = _SUFFIX.match(folded, q.end, clause[1])
        suffix = suffix_m.group(0) if suffix_m else ""
        if suffix == "内" and not q.is_time_limit:
            suffix = ""
        item = _Item(q, clause, suffix)
        if _is_target(ctx, item, quotes, items):
            items.append(item)
    return items


def _is_target(ctx: _Context, item: _Item, quotes: list[tuple[int, int, bool]], earlier: list[_Item]) -> bool:
    folded, q = ctx.folded, item.quantity
    before = folded[item.clause[0]:q.start]
    if _quoted_name(q, quotes) or _not_a_count(folded, item, before):
        return False
    if q.unit.endswith("元") and _SUBSIDY_BEFORE.search(before):
        return False
    if q.is_time_limit and not (item.suffix in ("内", "以内", "之内") or _pre_comparator(before)[0] == "<="):
        return False
    if q.form == "fraction" and not q.unit:
        return _ends_phrase(folded, item)
    if q.form == "arabic" and not q.unit:
        return _pre_comparator(before)[0] is not None and _ends_phrase(folded, item)
    if q.form == "chinese":
        return _chinese_count_is_target(folded, item, before, earlier)
    return True


def _quoted_name(q: Quantity, quotes: list[tuple[int, int, bool]]) -> bool:
    """A number inside a quoted name (“十百千万”工程, “633”人才工程); 零新增 is a target even when quoted."""
    return q.form != "zero" and any(qs < q.start < qe and not statement for qs, qe, statement in quotes)


def _not_a_count(folded: str, item: _Item, before: str) -> bool:
    """The non-target kinds that the words around the number give away."""
    q = item.quantity
    after = q.end + len(item.suffix)
    clause_text = folded[item.clause[0]:item.clause[1]].rstrip(BLANK)
    return (
        before.endswith(_NOT_COUNT_BEFORE)
        or bool(_STATUS_BEFORE.search(before))
        or bool(_THRESHOLD_TAIL.match(folded, after))  # 年收入超1000万元的企业, 35岁以下的
        or clause_text.endswith(_CONDITION_END)  # 对…超过2米…的, 要依法责令改正
        or (q.unit in _LENGTH_UNITS and (item.suffix in ("以内", "之内") or bool(_SCOPE_AFTER.match(folded, after))))
        or (q.unit == "次" and bool(_FREQUENCY_BEFORE.search(before)))
    )


def _ends_phrase(folded: str, item: _Item) -> bool:
    after = item.quantity.end + len(item.suffix)
    return folded[after: after + 1] in _PHRASE_END


def _chinese_count_is_target(folded: str, item: _Item, before: str, earlier: list[_Item]) -> bool:
    """Chinese numerals are mostly names (十三五, 六大, 三包); a count needs a governing verb or list."""
    q = item.quantity
    if q.value == 1 and q.value_max is None:
        return False  # 一个 / 一家 read as an article, and 一批 / 一支 are vague
    if _NAME_AFTER.match(folded, q.end):
        return False
    comparator, rest = _pre_comparator(before)
    if comparator is not None and comparator != "=":
        return True
    if _verb_run_before(rest):
        return True
    continues_list = folded[q.start - 1: q.start] in ("、", ",", "和", "及", "与")
    return continues_list and bool(earlier) and earlier[-1].quantity.end >= q.start - _LIST_REACH


# --- comparators, verbs, subjects -----------------------------------------------------------------------


def _pre_comparator(before: str) -> tuple[str | None, str]:
    """(comparator, text before it) for a comparator word that ends `before`, or that ends it but for the
    base the number is a share of (不低于当年计划任务量的70%)."""
    stripped = before.rstrip(BLANK)
    for word in _PRE_CMP_ORDER:
        if stripped.endswith(word):
            rest = stripped[: -len(word)]
            return _PRE_COMPARATORS[word], rest
    with_base = _CMP_WITH_BASE.search(stripped)
    if with_base:
        return _PRE_COMPARATORS[with_base.group(1)], stripped[: with_base.start()]
    if stripped.endswith(("分别为", "均为")):
        return "=", stripped[:-1]
    return None, stripped


def comparator_of(before: str, suffix: str, approx_more: bool) -> str:
    """左右/约 win, then 以上/以下 after the number, then the word before it, then 多/余; else '='."""
    pre, _ = _pre_comparator(before)
    post = _SUFFIX_COMPARATOR.get(suffix)
    if post == "~" or pre == "~":
        return "~"
    if post == ">=" and pre == ">":
        return ">"
    if post is not None:
        return post
    if pre is not None:
        return pre
    return ">" if approx_more else "="


def _verb_run_before(text: str) -> str:
    """The run of governing verbs that ends `text` (重点引进和培养 -> 引进和培养), or ''."""
    end = len(text)
    start = end
    while start > 0:
        word = _verb_ending_at(text, start)
        if not word:
            break
        start -= len(word)
        joiner = next((j for j in _VERB_JOINERS if text[:start].endswith(j)), None)
        if joiner and _verb_ending_at(text, start - len(joiner)):
            start -= len(joiner)
    return text[start:end]


def _verb_ending_at(text: str, end: int) -> str:
    for size in range(min(_MAX_VERB_LEN, end), 0, -1):
        if text[end - size:end] in _VERBS:
            return text[end - size:end]
    return ""


def _leading_verb_run(text: str) -> str:
    """The run of governing verbs that opens `text` (选拔认定教育专家 -> 选拔认定), or ''."""
    pos = 0
    while pos < len(text):
        # one-character verbs (建) are read only right before a number: at a subject's start they open nouns
        word = next((text[pos:pos + n] for n in range(_MAX_VERB_LEN, 1, -1) if text[pos:pos + n] in _VERBS), "")
        if not word:
            break
        pos += len(word)
        joiner = next((j for j in _VERB_JOINERS if text.startswith(j, pos)), None)
        if joiner and any(text.startswith(v, pos + len(joiner)) for v in _VERBS if len(v) > 1):
            pos += len(joiner)
    return text[:pos] if pos < len(text) else ""


def clean_subject(raw: str, framing: bool = False) -> str:
    """The subject phrase without time phrases, scope words, adverbs (and, with framing, 实现/使…)."""
    s = _LEADING_NOISE.sub("", raw)
    if framing and _FRAMING.match(s):
        s = _LEADING_NOISE.sub("", _FRAMING.sub("", s, count=1))
    s = _TRAILING_NOISE.sub("", s).strip(BLANK)
    if s.endswith("”") and s.count("“") < s.count("”"):
        s = s[:-1]
    return s


def _respective_subjects(subject: str, n: int) -> list[str] | None:
    """A、B、C认证企业 for 分别 over n values -> [A认证企业, B认证企业, C认证企业]; None if it does not split in n."""
    items = [x for x in re.split(r"、|和|及|与", subject) if x]
    if len(items) != n or n < 2:
        return None
    last, heads = items[-1], items[:-1]
    tail = ""
    for size in range(min(len(h) for h in heads), 1, -1):
        ending = heads[0][-size:]
        if all(h.endswith(ending) for h in heads) and ending in last:
            at = last.rfind(ending) + size
            tail = last[at:]
            break
    else:
        head_len = min(len(h) for h in heads)
        if len(last) > head_len + 1:
            tail = last[head_len:]
    return [h + tail for h in heads] + [last]


# --- numeric targets ------------------------------------------------------------------------------------


def _sentence_targets(ctx: _Context, section: Section, kind: str, s_start: int, s_end: int) -> list[Target]:
    items = _accepted_items(ctx, s_start, s_end)
    if not items:
        return []
    _group_value_lists(ctx.folded, items)
    owner = owner_path(section, ctx.by_path) or section.path
    fallback_year = heading_year(section, ctx, goal_level=kind == "goal")
    out: list[Target] = []
    carried = _Carried()
    groups = _groups(items)
    for gi, group in enumerate(groups):
        item_start = _item_start(ctx.folded, groups, gi)
        object_end = _object_end(ctx.folded, groups, gi)
        phrase = _read_phrase(ctx.folded, group, item_start, object_end, carried)
        last = group[-1]
        text_end = max(object_end if phrase.has_object else 0, last.quantity.end + len(last.suffix))
        if ctx.folded[text_end:text_end + 1] == "”" and "“" in ctx.folded[item_start:text_end]:
            text_end += 1
        span = strip_span(ctx.text, item_start, text_end)
        for item, subject in zip(group, phrase.subjects, strict=True):
            if not subject and section.title_span[1] - section.title_span[0] <= _MAX_FALLBACK_SUBJECT:
                subject = ctx.text[slice(*section.title_span)]  # a bare table cell: its row's title
            out.append(_numeric_target(ctx, item, owner, kind, subject, span, phrase, fallback_year,
                                       s_start, s_end, last.suffix))
    return out


def _object_text(folded: str, start: int, end: int) -> str:
    """What a number counts when written after it (培育10个[品牌]); '' when a quote or bracket closes first.
    A long enumerated modifier (具有A、B的企业家) or an enumeration closed by 等 (A、B、C等专门人才) is
    dropped: the subject is the counted head."""
    if folded[start:start + 1] in ("”", '"', ")", "」", "》"):
        return ""
    obj = _TRAILING_OBJECT_NOISE.sub("", folded[start:end]).strip(BLANK)
    for pattern in (_LONG_MODIFIER, _ENUMERATION):
        modifier = pattern.match(obj)
        if modifier and len(obj) - modifier.end() >= 2:
            obj = obj[modifier.end():]
    return obj


def _read_phrase(folded: str, group: list[_Item], item_start: int, object_end: int, carried: _Carried) -> _Phrase:
    """The subject(s) of a group of values, the verb it governs or inherits, and its 每年."""
    first, last = group[0], group[-1]
    before = folded[item_start:first.quantity.start]
    _, pre = _pre_comparator(before)
    obj = _object_text(folded, last.quantity.end + len(last.suffix), object_end)
    if obj:
        verb = _verb_run_before(clean_subject(pre))
        head = verb or clean_subject(pre)
        inherited = not head and bool(carried.verb)
        subjects = [(carried.verb if inherited else head) + obj] * len(group)
    else:
        core = clean_subject(pre, framing=True)
        verb = _leading_verb_run(core)
        respectively = bool(_RESPECTIVELY.search(pre.rstrip(BLANK)))
        inherited = False
        if _RELATIVE.match(core) and carried.subject:
            core = carried.subject + core
        elif (not verb and carried.verb and core and not respectively and not _RATIO.search(core)
              and _pre_comparator(before)[0] is None):
            core, inherited = carried.verb + core, True
        subjects = (_respective_subjects(core, len(group)) if respectively else None) or [core] * len(group)
    raw_before = folded[first.clause[0]:first.quantity.start]
    per_year = bool(_EVERY_YEAR.search(raw_before)) or (inherited and carried.per_year)
    carried.verb = verb or (carried.verb if inherited else "")
    carried.per_year = per_year
    carried.subject = subjects[-1]
    return _Phrase(subjects=subjects, before=before, has_object=bool(obj), per_year=per_year)


def _group_value_lists(folded: str, items: list[_Item]) -> None:
    """Number the value lists: quantities with nothing but 、/和/及 between them share one subject."""
    group = 0
    for prev, item in zip([None, *items], items, strict=False):
        if prev is not None:
            gap = folded[prev.quantity.end + len(prev.suffix): item.quantity.start].strip(BLANK)
            if not (prev.clause == item.clause and gap in _SEPARATORS):
                group += 1
        item.group = group


def _groups(items: list[_Item]) -> list[list[_Item]]:
    out: list[list[_Item]] = []
    for item in items:
        if out and out[-1][-1].group == item.group:
            out[-1].append(item)
        else:
            out.append([item])
    return out


def _gap_split(folded: str, groups: list[list[_Item]], gi: int) -> int | None:
    """Where the phrase of group gi begins when group gi-1 sits in the same clause: after the last separator."""
    prev_last, first = groups[gi - 1][-1], groups[gi][0]
    if prev_last.clause != first.clause:
        return None
    gap_start = prev_last.quantity.end + len(prev_last.suffix)
    best = _last_top_level_separator_end(folded, gap_start, first.quantity.start)
    return best if best is not None else first.quantity.start


def _last_top_level_separator_end(folded: str, start: int, end: int) -> int | None:
    """End of the last 、/和/及/与/或 in [start, end) outside brackets and quotes; None if there is none."""
    depth = 0
    best = None
    for i in range(start, end):
        ch = folded[i]
        if ch in "(“《":
            depth += 1
        elif ch in ")”》" and depth:
            depth -= 1
        elif depth == 0:
            sep = next((x for x in _SEPARATORS if folded.startswith(x, i)), None)
            if sep and i + len(sep) <= end:
                best = i + len(sep)
    return best


def _item_start(folded: str, groups: list[list[_Item]], gi: int) -> int:
    first = groups[gi][0]
    if gi > 0:
        split = _gap_split(folded, groups, gi)
        if split is not None:
            return split
    return first.clause[0]


def _object_end(folded: str, groups: list[list[_Item]], gi: int) -> int:
    """End of the object written after the group's last quantity (培育10个[品牌]、20个…): up to the next
    group's separator in the same clause, else the clause end."""
    last = groups[gi][-1]
    after = last.quantity.end + len(last.suffix)
    if after < last.clause[1] and folded[after] in "、和及":
        return after
    if gi + 1 < len(groups):
        split = _gap_split(folded, groups, gi + 1)
        if split is not None:
            sep_start = split
            while sep_start > after and folded[sep_start - 1] in "、和及与或以":
                sep_start -= 1
            return sep_start
    return last.clause[1]


def _numeric_target(ctx: _Context, item: _Item, owner: str, kind: str, subject: str, span: Span, phrase: _Phrase,
                    fallback_year: int | None, s_start: int, s_end: int, group_suffix: str) -> Target:
    q = item.quantity
    comparator = comparator_of(phrase.before, item.suffix or group_suffix, q.approx_more)
    if q.value_max is not None:
        comparator = "~"
    if q.is_time_limit and comparator == "=":
        comparator = "<="
    unit = q.unit
    if q.form == "zero":
        subject = subject + ctx.folded[q.start + 1:q.end]
        unit = _unit_of_subject(subject)
    year = _sentence_year(ctx.folded, q.start, s_start, s_end) or fallback_year
    raw = ctx.folded[item.clause[0]:q.start] + subject
    cumulative = bool(_CUMULATIVE.search(raw)) or bool(_STOCK_TOTAL.search(subject) and not _FLOW.search(subject))
    per_year = phrase.per_year or bool(_YEARLY_AVERAGE.search(subject))
    return Target(owner=owner, owner_kind=kind, subject=_verbatim_chars(ctx, subject, span), span=span,
                  value=q.value, value_max=q.value_max, unit=unit, comparator=comparator, year=year,
                  cumulative=cumulative, per_year=per_year)


def _unit_of_subject(subject: str) -> str:
    """零新增 counts what the subject names: …用户 -> 户."""
    base = re.sub(r"(新增|增长)$", "", subject)
    return next((u for u in sorted(COUNT_UNITS, key=len, reverse=True) if u != "%" and base.endswith(u)), "")


def _verbatim_chars(ctx: _Context, subject: str, span: Span) -> str:
    """The subject was read on folded text; give back the document's own characters where it is a substring."""
    folded_text = ctx.folded[span[0]:span[1]]
    at = folded_text.find(subject)
    if at >= 0:
        return ctx.text[span[0] + at: span[0] + at + len(subject)]
    return subject


# --- qualitative targets --------------------------------------------------------------------------------


def _qualitative_targets(ctx: _Context, section: Section, kind: str, s_start: int, s_end: int) -> list[Target]:
    """End-state clauses (建立/建成/形成/实现/完成/构建/消除 …) after a deadline in the same sentence."""
    folded = ctx.folded
    years = target_years(folded, s_start, s_end)
    if not years:
        return []
    owner = owner_path(section, ctx.by_path) or section.path
    out: list[Target] = []
    pos = years[0][0]
    while pos < s_end:
        c_start, c_end = clause_of(folded, pos, s_start, s_end)
        stated = [(p, y) for p, y in years if p < c_end]
        core = _end_state_clause(folded, c_start, c_end)
        if stated and core:
            span_start = _deadline_start(folded, c_start, stated[-1][0], s_start)
            out.append(Target(owner=owner, owner_kind=kind, subject=ctx.text[core[0]:core[1]],
                              span=strip_span(ctx.text, span_start, c_end), value=None, value_max=None,
                              unit=None, comparator=None, year=stated[-1][1]))
        pos = c_end + 1
    return out


def _end_state_clause(folded: str, start: int, end: int) -> Span | None:
    """The clause without its adverbs when it states an end state and no number (基本建成…体系)."""
    start, end = strip_span(folded, start, end)
    adverbs = _QUAL_ADVERBS.match(folded, start, end)
    core_start = adverbs.end() if adverbs else start
    core = folded[core_start:end]
    if len(core) < _MIN_QUALITATIVE or not _END_STATE.match(core) or find_quantities(folded, core_start, end):
        return None
    return core_start, end


def _deadline_start(folded: str, c_start: int, year_pos: int, s_start: int) -> int:
    """Start the text at its deadline when the deadline is the clause just before (2024年底前,建立…)."""
    prev_start, prev_end = clause_of(folded, max(s_start, c_start - 2), s_start, c_start)
    if c_start > s_start and prev_start <= year_pos < prev_end:
        return prev_start
    return c_start


# --- the pipeline component -----------------------------------------------------------------------------


@Language.component("policykg_indicators")
def indicators_component(doc: Doc) -> Doc:
    from policykg.extract.pipeline import state  # the pipeline imports this module

    st = state(doc)
    st.indicators = find_indicators(st.text, st.folded, st.sections)
    st.unassigned = unassigned_indicators(st.indicators, owned_task_paths(st.tasks))
    st.suggestions = suggest_owners(st.text, st.indicators, st.unassigned, st.tasks)
    spans = [doc.char_span(i.span[0], i.span[1], label=i.comparator or "qualitative", alignment_mode="expand")
             for i in st.indicators]
    existing = list(doc.spans["indicators"]) if "indicators" in doc.spans else []
    doc.spans["indicators"] = existing + [s for s in spans if s is not None]
    return doc


__all__ = [
    "Target",
    "clause_of",
    "clean_subject",
    "comparator_of",
    "find_indicators",
    "find_targets",
    "heading_year",
    "indicators_component",
    "own_text",
    "owner_path",
    "plan_end_year",
    "quoted_spans",
    "sentences",
    "target_years",
]
