"""Word's automatic numbering (numbering.xml): the label a numbered paragraph shows, such as 一、 （二） 3.

A DOCX keeps numbers that Word generates out of the text; rendering them keeps the heading markers the
extractor reads. Counters follow Word's rules closely enough for policy documents: one counter set per
abstract list, a level restarts when a shallower level advances, `startOverride` restarts a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
# A label that ends in punctuation needs no separator before the paragraph text.
_ENDS_IN_PUNCTUATION = re.compile(r"[、.．:：)）\]】〕」』]$")


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    legal: bool = False  # isLgl: every placeholder is written in decimal


@dataclass
class Numbering:
    """Parsed numbering.xml plus the style links of styles.xml; `label` advances the counters."""

    abstract_levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    num_abstract: dict[str, str] = field(default_factory=dict)
    num_starts: dict[str, dict[int, int]] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)
    _counters: dict[str, dict[int, int]] = field(default_factory=dict)
    _started: set[str] = field(default_factory=set)

    def label(self, num_id: str | None, ilvl: int | None, style: str | None) -> str:
        """The label of the next paragraph of list `num_id` at level `ilvl` ('' if it has none)."""
        if num_id is None and style in self.style_num:
            num_id, style_ilvl = self.style_num[style]
            ilvl = style_ilvl if ilvl is None else ilvl
        if not num_id or num_id == "0" or num_id not in self.num_abstract:
            return ""
        ilvl = ilvl or 0
        abstract = self.num_abstract[num_id]
        levels = self.abstract_levels.get(abstract, {})
        counters = self._counters.setdefault(abstract, {})
        if num_id not in self._started and num_id in self.num_starts:
            counters.clear()  # a list restarted with startOverride
            for lvl, start in self.num_starts[num_id].items():
                counters[lvl] = start - 1
        self._started.add(num_id)
        level = levels.get(ilvl, _Level())
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        return _render(level, levels, counters)


def parse_numbering(numbering_xml: bytes | None, styles_xml: bytes | None) -> Numbering:
    out = Numbering()
    if numbering_xml:
        root = ET.fromstring(numbering_xml)
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for lvl in abstract.iter(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = _parse_level(lvl)
            out.abstract_levels[abstract.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId", "")
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                out.num_abstract[num_id] = ref.get(f"{W}val", "")
            starts = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                if start is not None:
                    starts[int(override.get(f"{W}ilvl", "0"))] = int(start.get(f"{W}val", "1"))
            if starts:
                out.num_starts[num_id] = starts
    if styles_xml:
        out.style_num = _style_numbering(ET.fromstring(styles_xml))
    return out


def _parse_level(lvl: ET.Element) -> _Level:
    level = _Level()
    start = lvl.find(f"{W}start")
    if start is not None:
        level.start = int(start.get(f"{W}val", "1"))
    fmt = lvl.find(f"{W}numFmt")
    if fmt is not None:
        level.fmt = fmt.get(f"{W}val", "decimal")
    text = lvl.find(f"{W}lvlText")
    if text is not None:
        level.text = text.get(f"{W}val", "")
    level.legal = lvl.find(f"{W}isLgl") is not None
    return level


def _style_numbering(root: ET.Element) -> dict[str, tuple[str, int]]:
    """style id -> (numId, ilvl) for paragraph styles that carry numbering, following basedOn."""
    own: dict[str, tuple[str | None, int | None]] = {}
    based_on: dict[str, str] = {}
    for style in root.iter(f"{W}style"):
        sid = style.get(f"{W}styleId", "")
        base = style.find(f"{W}basedOn")
        if base is not None:
            based_on[sid] = base.get(f"{W}val", "")
        num_pr = style.find(f"{W}pPr/{W}numPr")
        if num_pr is not None:
            own[sid] = num_props(num_pr)
    out: dict[str, tuple[str, int]] = {}
    for sid in set(own) | set(based_on):
        num_id, ilvl, seen = None, None, set()
        cur: str | None = sid
        while cur and cur not in seen and (num_id is None or ilvl is None):
            seen.add(cur)
            cur_num, cur_lvl = own.get(cur, (None, None))
            num_id = num_id if num_id is not None else cur_num
            ilvl = ilvl if ilvl is not None else cur_lvl
            cur = based_on.get(cur)
        if num_id:
            out[sid] = (num_id, ilvl or 0)
    return out


def num_props(num_pr: ET.Element) -> tuple[str | None, int | None]:
    num_id = num_pr.find(f"{W}numId")
    ilvl = num_pr.find(f"{W}ilvl")
    return (
        num_id.get(f"{W}val") if num_id is not None else None,
        int(ilvl.get(f"{W}val", "0")) if ilvl is not None else None,
    )


def _render(level: _Level, levels: dict[int, _Level], counters: dict[int, int]) -> str:
    if level.fmt in ("bullet", "none") or not level.text:
        return ""  # bullet glyphs are private-use symbol-font characters, not text

    def placeholder(m: re.Match[str]) -> str:
        k = int(m.group(1)) - 1
        ref = levels.get(k, _Level())
        value = counters.get(k, ref.start)
        return str(value) if level.legal else format_number(value, ref.fmt)

    label = re.sub(r"%([1-9])", placeholder, level.text)
    return label if _ENDS_IN_PUNCTUATION.search(label) else label + " "


def format_number(n: int, fmt: str) -> str:
    """n written in one of Word's number formats (ST_NumberFormat); unknown formats fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
               "japaneseCounting", "koreanCounting"):
        return chinese_numeral(n)
    if fmt == "chineseLegalSimplified":
        return chinese_numeral(n).translate(str.maketrans(_CN_DIGITS + "十百千", _CN_LEGAL + "拾佰仟"))
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographEnclosedCircle") and 1 <= n <= 10:
        return _HEAVENLY_STEMS[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return _EARTHLY_BRANCHES[n - 1]
    for name, table in (("decimalEnclosedCircle", _CIRCLED), ("decimalEnclosedCircleChinese", _CIRCLED),
                        ("decimalEnclosedParen", _PAREN), ("decimalEnclosedFullstop", _FULLSTOP)):
        if fmt == name and 1 <= n <= 20:
            return table[n - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n >= 1:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (as Word writes chineseCounting)."""
    if n <= 0 or n >= 100000:
        return str(n)
    units = ["", "十", "百", "千", "万"]
    digits = [int(d) for d in str(n)]
    out, zero = [], False
    for i, d in enumerate(digits):
        place = len(digits) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append("零")
        zero = False
        out.append(_CN_DIGITS[d] + units[place])
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)
