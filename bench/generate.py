#!/usr/bin/env python3
"""Synthesise N realistic policy documents for the benchmarks: deterministic with a seed.

The documents recombine and vary the visible corpus. Sentences, task titles and target sentences were
harvested from the real documents (``--harvest`` rebuilds ``bench/fragments.json`` from
/work/shared/corpus and /work/shared/wild); each generated document then draws:

* an issuing place (province, city or district) from the place list of ``extract/data/departments.json``,
  and departments from the abbreviation table of the same file (abbreviated or full, prefix distributed
  over a list: 市发改委、经信委), plus collective owners (各区政府, 各街镇 …);
* a header layout (portal block, bare 文号/主送/落款, a title with a date line);
* a heading layout (一、/（一）/1. or 第一章/第一条);
* for each task group, a responsibility style: （责任单位：…）, （牵头单位：…；配合单位：…）,
  （X牵头，Y配合）, （X牵头负责，各区政府组织落实）, label lines, a 职责分工 part whose headings are
  departments, a flattened task table in an annex, or bare lists under a 列第一位者为牵头单位 note;
* numbers, years and units of the target sentences varied around the harvested values;
* full-width or half-width punctuation, indentation, CRLF line ends, and UTF-8 (with or without BOM) or
  GB18030 bytes.

Document ``i`` depends only on (seed, i): the 100-document corpus of a seed is a prefix of its
1,000-document corpus. ``--truth`` also writes what each generated clause says (task path, lead, co) so
a benchmark can check that the extractor reads the synthetic documents as intended.

    python bench/generate.py -n 1000 --seed 1 -o bench/out/corpus-1000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FRAGMENTS = HERE / "fragments.json"
DEPARTMENTS = ROOT / "extract" / "data" / "departments.json"
HARVEST_DIRS = (Path("/work/shared/corpus"), Path("/work/shared/wild"))

CN_DIGITS = "一二三四五六七八九"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# Departments a plan typically names, as abbreviations of the table (the stems are looked up there, so the
# extractor's table is what makes them canonical). Keys of "government" in departments.json.
COMMON_DEPARTMENTS = (
    "发展改革委", "发改委", "经信委", "工业和信息化局", "工信局", "教育局", "教委", "科技局", "科委", "公安局",
    "民政局", "司法局", "财政局", "人力资源社会保障局", "人社局", "规划资源局", "自然资源局", "生态环境局",
    "住房城乡建设管理委", "住建委", "住建局", "交通委", "交通运输局", "水务局", "农业农村委", "农业农村局",
    "商务委", "商务局", "文化旅游局", "文旅局", "卫生健康委", "卫健委", "应急管理局", "应急局", "审计局",
    "国资委", "市场监管局", "市场监督管理局", "统计局", "医保局", "绿化市容局", "城管执法局", "房管局",
    "民防办", "体育局", "金融办", "地方金融监管局", "大数据局", "数据局", "机管局", "消防救援支队", "税务局",
    "退役军人事务局", "民宗委", "质监局", "知识产权局", "网信办", "外办",
)
PARTY_DEPARTMENTS = ("委宣传部", "委组织部", "委政法委", "委网信办", "委编办")
# Collective owners by the issuing level
COLLECTIVE = {
    "province": ("各市人民政府", "各设区市人民政府", "省有关部门", "各有关部门"),
    "city": ("各区政府", "各区人民政府", "各县（市、区）人民政府", "各有关部门", "市各有关部门", "各成员单位"),
    "district": ("各街镇", "各街道办事处", "各镇人民政府", "各有关部门", "区有关部门", "各成员单位"),
}
LEVEL_PREFIX = {"province": "省", "city": "市", "district": "区"}
DOC_KINDS = ("实施意见", "实施方案", "行动计划", "工作方案", "三年行动计划", "若干措施")
PART_TITLES = {
    "intro": ("总体要求", "指导思想", "总体思路", "基本原则"),
    "goal": ("发展目标", "工作目标", "主要目标", "总体目标"),
    "tasks": ("主要任务", "重点任务", "工作任务", "重点工作", "主要举措"),
    "measures": ("保障措施", "组织保障", "工作要求", "组织实施"),
    "duties": ("职责分工", "部门职责", "分工与职责"),
}
MEASURE_TITLES = ("加强组织领导", "强化资金保障", "加强督促检查", "强化宣传引导", "完善考核机制",
                  "加强队伍建设", "健全工作机制", "强化政策支持")
STYLES = ("inline_resp", "inline_lead", "inline_paren", "inline_fuze", "labels", "first_listed")  # or "none"

# punctuation folded to half-width in some documents, as portals often serve them
HALF = str.maketrans({"（": "(", "）": ")", "：": ":", "；": ";", "，": ","})


# ----------------------------------------------------------------------------------------------------------
# harvesting the visible corpus
# ----------------------------------------------------------------------------------------------------------

_SENT = re.compile(r"[^。；！？\n]+[。；！？]")
_BAD = re.compile(r"[（）()〔〕【】\[\]:：《》〈〉“”\"]"
                  r"|牵头|配合|责任|负责|单位|部门|委员会|各区|各镇|各街|局|办公室|附件")
_DEPTISH = re.compile(r"^[^。，]{0,8}?(局|委|办|厅|政府|街道|镇)")
_NUM = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?=年)")


def _places(table: dict) -> tuple[list[str], list[str]]:
    places = table["places"]
    full: set[str] = set(places["provinces"])
    for cities in places["cities"].values():
        full.update(cities)
    for districts in places["districts"].values():
        full.update(districts)
    shorts = {p[:-1] for p in full if len(p) >= 3 and p[-1] in "市省区县"}
    return sorted(full, key=len, reverse=True), sorted(shorts, key=len, reverse=True)


def _placeholders(text: str, full: list[str], shorts: Iterable[str]) -> str:
    for name in full:
        if name in text:
            text = text.replace(name, "{P}")
    for name in shorts:
        if name in text:
            text = text.replace(name, "{P}")
    return text.replace("本市", "{L}").replace("全市", "全{L}").replace("本区", "{L}").replace("全区", "全{L}")


def harvest(dirs: Iterable[Path], out: Path) -> dict[str, list[str]]:
    """Sentences, task titles, target sentences and document topics of real documents -> fragments.json."""
    sys.path.insert(0, str(ROOT.parent))
    from policykg.extract import extract_file

    table = json.loads(DEPARTMENTS.read_text(encoding="utf-8"))
    full, shorts_all = _places(table)
    files = sorted(p for d in dirs for p in d.glob("*.txt"))
    own_shorts: set[str] = set()
    extractions = []
    for f in files:
        try:
            ex = extract_file(str(f))
        except Exception:  # a document the extractor refuses has nothing to give
            continue
        extractions.append(ex)
        place = ex.document.place or ""
        if len(place) >= 3:
            own_shorts.add(place[:-1])
        for name in full:
            if name in (ex.document.issuer or "") and len(name) >= 3:
                own_shorts.add(name[:-1])
    shorts = sorted(own_shorts & set(shorts_all), key=len, reverse=True)

    sentences: set[str] = set()
    targets: set[str] = set()
    titles: set[str] = set()
    topics: set[str] = set()
    duties: set[str] = set()
    for ex in extractions:
        text = ex.text
        title = ex.document.title or ""
        inner = re.search(r"《([^》]+)》", title)
        title = inner.group(1) if inner else title
        m = re.search(r"^(?:.*?关于)?(.+?)的?(实施意见|实施方案|工作方案|行动方案|三年行动计划|行动计划|若干措施|"
                      r"工作要点|管理办法|意见|方案|办法)$", title)
        if m and "印发" not in m.group(1) and 4 <= len(m.group(1)) <= 30 and not re.search(r"[（）()“”〈〉]",
                                                                                          m.group(1)):
            topic = re.sub(r"^(?:上海市|广州市|苏州市)?(?:[^市]{2,3}区)?", "", m.group(1))
            topic = re.sub(r"^\d{4}年", "", topic)
            if len(topic) >= 4 and not re.search(r"镇|街道", topic):
                topics.add(_placeholders(topic, full, shorts))
        for t in ex.tasks:
            tt = t.title.strip("。 ")
            if 4 <= len(tt) <= 24 and not _BAD.search(tt) and not _NUM.search(tt):
                titles.add(_placeholders(tt, full, shorts))
        for s in ex.sections:
            if s.kind in ("task", "task_group", "measure"):
                tt = s.title.strip("。 ")
                if 4 <= len(tt) <= 24 and not _BAD.search(tt) and not _NUM.search(tt):
                    titles.add(_placeholders(tt, full, shorts))
        for m in re.finditer(r"负责([^。；\n（(]{6,50})[。；]", text):
            d = m.group(1)
            if not _BAD.search(d) and not _NUM.search(d) and not d.startswith(("同志", "人", "的")):
                duties.add(_placeholders(d, full, shorts))
        spans = [i.span for i in ex.indicators if i.value is not None]
        for m in _SENT.finditer(text):
            s = m.group(0).strip().lstrip("　 \t")
            if not 12 <= len(s) <= 110 or _DEPTISH.match(s) or re.match(r"^[一二三四五六七八九十（(\d]", s):
                continue
            if _BAD.search(s):
                continue
            has_target = any(m.start() <= a < m.end() for a, _ in spans)
            if has_target and len(_NUM.findall(s)) <= 4:
                targets.add(_placeholders(s, full, shorts))
            elif not _NUM.search(s):
                sentences.add(_placeholders(s, full, shorts))
    data = {
        "_comment": ["Harvested from the visible corpus by `python bench/generate.py --harvest`: sentences without "
                     "numbers, sentences stating quantitative targets, task titles, duty phrases and document "
                     "topics. {P} stands for the issuing place's short name, {L} for 本市/本区/本省."],
        "sources": [f.name for f in files],
        "topics": sorted(topics),
        "task_titles": sorted(titles),
        "sentences": sorted(sentences),
        "targets": sorted(targets),
        "duties": sorted(duties),
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data


# ----------------------------------------------------------------------------------------------------------
# generating
# ----------------------------------------------------------------------------------------------------------


@dataclass
class Place:
    level: str  # province | city | district
    name: str  # 江苏省, 苏州市, 松江区
    parent: str | None  # the city of a district
    short: str  # 苏州, 松江

    @property
    def prefix(self) -> str:
        return LEVEL_PREFIX[self.level]

    @property
    def issuer_place(self) -> str:
        return f"{self.parent}{self.name}" if self.parent and self.level == "district" else self.name


@dataclass
class Truth:
    """What the generator wrote: for each task with a responsibility clause, its path, lead and co."""

    name: str
    encoding: str
    tasks: list[dict[str, object]] = field(default_factory=list)


@dataclass
class Material:
    table: dict
    fragments: dict[str, list[str]]
    provinces: list[str]
    cities: list[tuple[str, str]]  # (province, city)
    districts: list[tuple[str, str]]  # (city, district)
    departments: list[str]

    @classmethod
    def load(cls) -> Material:
        table = json.loads(DEPARTMENTS.read_text(encoding="utf-8"))
        fragments = json.loads(FRAGMENTS.read_text(encoding="utf-8"))
        places = table["places"]
        provinces = [p for p in places["provinces"] if p.endswith("省")]
        cities = [(p, c) for p, cs in sorted(places["cities"].items()) for c in cs if c.endswith("市")]
        districts = [(c, d) for c, ds in sorted(places["districts"].items()) for d in ds
                     if d.endswith("区") and len(d) >= 3 and c.endswith("市")]
        government = table["government"]
        departments = [d for d in COMMON_DEPARTMENTS if d in government]
        return cls(table, fragments, provinces, cities, districts, departments)


def _choose_place(rng: random.Random, m: Material) -> Place:
    r = rng.random()
    if r < 0.12:
        name = rng.choice(m.provinces)
        return Place("province", name, None, name[:-1])
    if r < 0.72:
        _, name = rng.choice(m.cities)
        return Place("city", name, None, name[:-1])
    city, name = rng.choice(m.districts)
    return Place("district", name, city, name[:-1])


def _cn(n: int) -> str:
    """1..99 in Chinese numerals (一, 十, 十一, 二十三)."""
    if n < 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens - 1]) + "十" + (CN_DIGITS[ones - 1] if ones else "")


class Writer:
    """One document: the random choices of one (seed, index) and the text being written."""

    def __init__(self, m: Material, seed: int, index: int) -> None:
        self.m = m
        self.rng = random.Random(f"policykg-bench:{seed}:{index}")
        self.index = index
        self.place = _choose_place(self.rng, m)
        self.year = self.rng.randint(2012, 2025)
        self.lines: list[str] = []
        self.truth: list[dict[str, object]] = []
        rng = self.rng
        # the document's pool of departments (8..22 of them), each written abbreviated or in full
        pool = rng.sample(m.departments, k=min(len(m.departments), rng.randint(8, 22)))
        self.departments = [self._dept_name(d) for d in pool]
        self.collectives = list(COLLECTIVE[self.place.level])
        self.indent = rng.choice(("", "　　", "　　", "\t    　　", "  "))
        self.task_marker = rng.choice(("．", ".", ".", "、"))

    # ---- vocabulary --------------------------------------------------------------------------------------

    def _dept_name(self, abbr: str) -> str:
        prefix = self.place.prefix
        government = self.m.table["government"]
        if self.place.level == "province" and self.rng.random() < 0.6:  # 省教育厅, not 省教育局
            stem = government.get(abbr)
            if isinstance(stem, str) and stem.endswith("局") and stem[:-1] + "厅" in government:
                return prefix + stem[:-1] + "厅"
        if self.rng.random() < 0.25:  # the full official stem instead of the abbreviation
            stem = self.m.table["government"].get(abbr)
            if isinstance(stem, str) and "{" not in stem:
                return prefix + stem
        return prefix + abbr

    def _party(self) -> str:
        return self.place.prefix + self.rng.choice(PARTY_DEPARTMENTS)

    def fill(self, text: str) -> str:
        local = {"province": "本省", "city": "本市", "district": "本区"}[self.place.level]
        return text.replace("{P}", self.place.short).replace("{L}", local)

    def sentence(self) -> str:
        return self.fill(self.rng.choice(self.m.fragments["sentences"]))

    def title(self) -> str:
        return self.fill(self.rng.choice(self.m.fragments["task_titles"]))

    def target(self) -> str:
        """A harvested target sentence with its numbers and years varied."""
        s = self.fill(self.rng.choice(self.m.fragments["targets"]))
        base = None

        def year(mt: re.Match[str]) -> str:
            nonlocal base
            y = int(mt.group(0))
            if base is None:
                base = y
            return str(self.year + 3 + (y - base))

        s = _YEAR.sub(year, s)
        factor = self.rng.uniform(0.5, 1.6)  # one factor for the sentence: ranges and ratios keep their order

        def number(mt: re.Match[str]) -> str:
            text = mt.group(0)
            if re.fullmatch(r"20\d{2}", text):
                return text
            after = s[mt.end():mt.end() + 1]
            value = float(text)
            varied = value * factor
            if after == "%" or "%" in s[mt.end():mt.end() + 3]:
                varied = min(varied, 99.5 if value < 100 else 100.0)
            if "." in text:
                digits = len(text.split(".")[1])
                return f"{varied:.{digits}f}"
            return str(max(1, int(round(varied, -max(0, len(text) - 2)))))

        return _NUM.sub(number, s)

    def duty(self) -> str:
        return "负责" + self.fill(self.rng.choice(self.m.fragments["duties"])) + "。"

    def units(self, lo: int = 1, hi: int = 4) -> list[str]:
        k = self.rng.randint(lo, hi)
        out = self.rng.sample(self.departments, k=min(k, len(self.departments)))
        if self.rng.random() < 0.05:  # a Party department among the units (市委宣传部)
            out.insert(1 if len(out) > 1 else 0, self._party())
        if len(out) > 1 and self.rng.random() < 0.3:
            out[-1] = self.rng.choice(self.collectives)
        return list(dict.fromkeys(out))

    @staticmethod
    def listing(names: list[str], distribute: bool = False) -> str:
        """市发改委、市经信委 -> 市发改委、经信委 when distribute (the prefix written once)."""
        if distribute and len(names) > 1:
            prefix = names[0][0]
            shown = [names[0]] + [n[1:] if n.startswith(prefix) and not n.startswith("各") and n[1:2] != "委"
                                  else n for n in names[1:]]
            return "、".join(shown)
        return "、".join(names)

    def deadline(self) -> str:
        y = self.year + self.rng.randint(0, 3)
        return self.rng.choice((f"{y}年底前", f"{y}年{self.rng.randint(1, 12)}月", "长期坚持", f"{y}年6月底前"))

    # ---- text ----------------------------------------------------------------------------------------------

    def line(self, text: str = "", indent: bool = False) -> None:
        self.lines.append((self.indent if indent else "") + text)

    def paragraph(self, sentences: int) -> str:
        return "".join(self.sentence() for _ in range(sentences))

    def clause(self, style: str, path: str) -> str:
        """A responsibility clause of one style, appended to a task paragraph; records the truth."""
        rng = self.rng
        units = self.units()
        lead, co = units[0], units[1:]
        distribute = rng.random() < 0.25
        if style == "inline_resp":
            text = f"（责任单位：{self.listing(units, distribute)}）"
        elif style == "inline_lead":
            text = f"（牵头单位：{lead}；配合单位：{self.listing(co, distribute)}）" if co else f"（牵头单位：{lead}）"
        elif style == "inline_paren":
            text = f"（{lead}牵头，{self.listing(co)}配合）" if co else f"（{lead}负责）"
        else:  # inline_fuze
            co = [rng.choice(self.collectives)]
            text = f"（{lead}牵头负责，{co[0]}组织落实）"
        self.truth.append({"path": path, "lead": lead, "co": co, "style": style})
        return text

    # ---- document parts -----------------------------------------------------------------------------------

    def header(self, title: str) -> None:
        rng = self.rng
        p = self.place
        issuer = p.issuer_place + rng.choice(("人民政府办公室", "人民政府办公室", "人民政府", "人民政府办公厅"))
        if p.level == "province" and issuer.endswith("办公室"):
            issuer = issuer[:-3] + "办公厅"
        abbr = p.short[0] + ("政办发" if p.level == "province" else rng.choice(("府办", "府办发", "府")))
        number = f"{abbr}〔{self.year}〕{rng.randint(1, 240)}号"
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        notice = f"{issuer}关于印发{title}的通知"
        recipients = {
            "province": "各市人民政府，省政府各部门：",
            "city": "各区人民政府，市政府各委、办、局，各有关单位：",
            "district": "各街道办事处、镇人民政府，区政府各委、办、局：",
        }[p.level]
        layout = rng.choice(("portal", "portal", "bare", "bare", "dated"))
        if layout == "portal":
            self.line(f"标题：{notice}")
            self.line(f"文号：{number}")
            self.line(f"发布单位：{issuer}")
            self.line(f"发布日期：{self.year}-{month:02d}-{day:02d}")
            self.line()
        if layout in ("portal", "bare"):
            self.line(notice)
            if layout == "bare":
                self.line(number)
            self.line(recipients)
            self.line(f"现将《{title}》印发给你们，请认真贯彻执行。", indent=True)
            self.line(issuer)
            self.line(f"{self.year}年{month}月{day}日")
            self.line()
            self.line(title)
        else:
            self.line(title)
            self.line(f"（{self.year}年{month}月{day}日）")

    def goals(self, number: str) -> None:
        rng = self.rng
        self.line(f"{number}、{rng.choice(PART_TITLES['goal'])}")
        self.line(f"到{self.year + 3}年，" + self.sentence(), indent=True)
        for k in range(1, rng.randint(2, 4) + 1):
            body = "".join(self.target() for _ in range(rng.randint(1, 4)))
            self.line(f"（{_cn(k)}）{self.title()}。{body}", indent=True)

    def task_part(self, number: str, style: str, first_task: int) -> int:
        """A part of task groups and numbered tasks, every task closed by a clause of one style."""
        rng = self.rng
        self.line(f"{number}、{rng.choice(PART_TITLES['tasks'])}")
        n = first_task
        flat = rng.random() < 0.3  # tasks directly as (一) (二) …, without numbered items
        for g in range(1, rng.randint(2, 6) + 1):
            group = f"（{_cn(g)}）"
            if flat:
                self._task(f"{number}/{group}", group, style)
                continue
            self.line(f"{group}{self.title()}。" + (self.sentence() if rng.random() < 0.4 else ""), indent=True)
            for _ in range(rng.randint(2, 6)):
                self._task(f"{number}/{group}/{n}", f"{n}{self.task_marker}", style)
                n += 1
        return n

    def _task(self, path: str, marker: str, style: str) -> None:
        rng = self.rng
        body = "".join(self.sentence() for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.35:
            body += self.target()
        if rng.random() < 0.2:
            body += f"{self.deadline()}完成。"
        head = f"{marker}{self.title()}。{body}"
        if style == "none" or (style != "first_listed" and rng.random() < 0.08):  # a task nobody is named for
            self.line(head, indent=True)
        elif style == "labels":
            units = self.units()
            self.line(head, indent=True)
            lead, co = units[0], units[1:]
            if co and rng.random() < 0.7:
                self.line(f"牵头单位：{lead}")
                self.line(f"配合单位：{self.listing(co)}")
            else:
                self.line(f"责任单位：{self.listing(units)}")
            if rng.random() < 0.4:
                self.line(f"完成时限：{self.deadline()}")
            self.truth.append({"path": path, "lead": lead, "co": co, "style": style})
        elif style == "first_listed":
            units = self.units(2, 4)
            self.line(f"{head}（{self.listing(units, rng.random() < 0.5)}）", indent=True)
            self.truth.append({"path": path, "lead": units[0], "co": units[1:], "style": style})
        else:
            self.line(head + self.clause(style, path), indent=True)

    def duties_part(self, number: str) -> None:
        """职责分工: headings or paragraphs that are departments."""
        rng = self.rng
        self.line(f"{number}、{rng.choice(PART_TITLES['duties'])}")
        names = rng.sample(self.departments, k=min(len(self.departments), rng.randint(3, 6)))
        headed = rng.random() < 0.5
        for k, name in enumerate(names, start=1):
            if headed:
                self.line(f"（{_cn(k)}）{name}", indent=True)
                self.line(self.duty() + (self.sentence() if rng.random() < 0.3 else ""), indent=True)
                self.truth.append({"path": f"{number}/（{_cn(k)}）", "lead": name, "co": [], "style": "duty_heading"})
            else:
                self.line(f"{name}：{self.duty()}", indent=True)
                self.truth.append({"path": f"{number}/{name}", "lead": name, "co": [], "style": "duty_paragraph"})

    def measures(self, number: str) -> None:
        rng = self.rng
        self.line(f"{number}、{rng.choice(PART_TITLES['measures'])}")
        for k, title in enumerate(rng.sample(MEASURE_TITLES, k=rng.randint(2, 4)), start=1):
            self.line(f"（{_cn(k)}）{title}。{self.paragraph(rng.randint(1, 3))}", indent=True)

    def table(self) -> None:
        """A flattened task table in an annex: one cell per line, blank lines between cells."""
        rng = self.rng
        self.line("附件")
        self.line(rng.choice(("重点任务分解表", "任务分工表", "重点工作任务清单")))
        header = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
        rows = rng.randint(4, 12)
        cells: list[str] = []
        for r in range(1, rows + 1):
            units = self.units()
            lead, co = units[0], units[1:]
            cells += [str(r), f"{self.title()}。", lead, self.listing(co) if co else "——", self.deadline()]
            self.truth.append({"path": f"附件/{r}", "lead": lead, "co": co, "style": "table"})
        for cell in header + cells:
            self.line(cell)
            self.line()

    def chapters(self, title: str) -> None:
        """第一章/第一条 layout: articles of a 办法 or 方案, some closed by a clause."""
        rng = self.rng
        article = 1
        chapters = ["总则", rng.choice(PART_TITLES["tasks"]), rng.choice(PART_TITLES["duties"]),
                    rng.choice(PART_TITLES["measures"]), "附则"]
        for c, name in enumerate(chapters, start=1):
            chapter = f"第{_cn(c)}章"
            self.line(f"{chapter} {name}")
            for _ in range(rng.randint(2, 6) if name not in ("总则", "附则") else rng.randint(1, 2)):
                path = f"{chapter}/第{_cn(article)}条"
                text = f"第{_cn(article)}条 {self.sentence()}"
                if name not in ("总则", "附则"):
                    if rng.random() < 0.3:
                        text += self.target()
                    if rng.random() < 0.8:
                        text += self.clause(rng.choice(("inline_resp", "inline_paren", "inline_lead")), path)
                elif name == "附则":
                    text = f"第{_cn(article)}条 本{title[-2:]}自{self.year}年{rng.randint(1, 12)}月1日起施行。"
                self.line(text, indent=True)
                article += 1

    def document(self) -> str:
        rng = self.rng
        topic = self.fill(rng.choice(self.m.fragments["topics"]))
        kind = rng.choice(DOC_KINDS)
        title = f"{self.place.issuer_place}关于{topic}的{kind}" if rng.random() < 0.6 else \
            f"{self.place.issuer_place}{topic}{kind}"
        self.header(title)
        self.line(self.paragraph(rng.randint(1, 3)) + "制定本方案。", indent=True)
        if rng.random() < 0.12:
            self.chapters(title)
            return "\n".join(self.lines) + "\n"
        note = rng.random() < 0.08
        if note:
            self.line("（列第一位者为牵头单位）")
        parts: list[str] = ["intro", "goal"] if rng.random() < 0.85 else ["intro"]
        parts += ["tasks"] * rng.randint(1, 3)
        if rng.random() < 0.25:
            parts.append("duties")
        parts.append("measures")
        n = 1
        for k, part in enumerate(parts, start=1):
            number = _cn(k)
            if part == "intro":
                self.line(f"{number}、{rng.choice(PART_TITLES['intro'])}")
                self.line(self.paragraph(rng.randint(2, 5)), indent=True)
            elif part == "goal":
                self.goals(number)
            elif part == "tasks":
                style = "first_listed" if note else rng.choice((*STYLES[:5], "inline_resp", "inline_lead", "none"))
                n = self.task_part(number, style, n if rng.random() < 0.5 else 1)
            elif part == "duties":
                self.duties_part(number)
            else:
                self.measures(number)
        if rng.random() < 0.2:
            self.table()
        return "\n".join(self.lines) + "\n"


def render_bytes(text: str, rng: random.Random) -> tuple[bytes, str]:
    """The document's bytes: half-width punctuation, CRLF, and the encoding are drawn here."""
    if rng.random() < 0.25:
        text = text.translate(HALF)
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    r = rng.random()
    if r < 0.15:
        return text.encode("gb18030"), "gb18030"
    if r < 0.25:
        return b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"
    return text.encode("utf-8"), "utf-8"


def generate_one(m: Material, seed: int, index: int) -> tuple[str, bytes, Truth]:
    w = Writer(m, seed, index)
    text = w.document()
    data, encoding = render_bytes(text, random.Random(f"policykg-bench-bytes:{seed}:{index}"))
    name = f"gen-{index:05d}.txt"
    return name, data, Truth(name, encoding, w.truth)


def generate(n: int, seed: int = 1, start: int = 0) -> Iterable[tuple[str, bytes, Truth]]:
    """Documents start .. start+n-1 of a seed's corpus: (file name, bytes, truth)."""
    m = Material.load()
    for i in range(start, start + n):
        yield generate_one(m, seed, i)


def write_corpus(n: int, seed: int, out: Path, truth: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    truths: list[dict[str, object]] = []
    for name, data, t in generate(n, seed):
        path = out / name
        path.write_bytes(data)
        paths.append(path)
        truths.append({"name": t.name, "encoding": t.encoding, "tasks": t.tasks})
    if truth:
        (out / "truth.json").write_text(json.dumps(truths, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Synthesise N policy documents from the visible corpus (deterministic with --seed).",
        epilog="examples:\n"
               "  python bench/generate.py -n 1000 --seed 1 -o bench/out/corpus-1000\n"
               "  python bench/generate.py --harvest          # rebuild bench/fragments.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-n", type=int, default=100, help="number of documents (default: 100)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    parser.add_argument("-o", "--output", type=Path, help="output directory (created if missing)")
    parser.add_argument("--truth", action="store_true",
                        help="also write truth.json: each generated clause's task path, lead and co")
    parser.add_argument("--harvest", action="store_true",
                        help="rebuild bench/fragments.json from the real documents instead of generating")
    parser.add_argument("--from", dest="sources", type=Path, action="append",
                        help="with --harvest: a directory of .txt documents (default: /work/shared/corpus "
                             "and /work/shared/wild)")
    args = parser.parse_args(argv)
    if args.harvest:
        data = harvest(args.sources or HARVEST_DIRS, FRAGMENTS)
        counts = ", ".join(f"{len(v)} {k}" for k, v in data.items() if not k.startswith("_") and k != "sources")
        print(f"wrote {FRAGMENTS} ({counts}) from {len(data['sources'])} documents", file=sys.stderr)
        return 0
    if args.output is None:
        parser.error("-o/--output is required (or --harvest)")
    paths = write_corpus(args.n, args.seed, args.output, args.truth)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents ({size / 1e6:.1f} MB) to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
