"""Quantities as written: a number (Arabic, full-width, Chinese, fraction, range) and the unit after it.

Rules match on the folded text (full-width digits and punctuation already half-width), so a span found
here indexes the original text. A magnitude word stays in the unit (320万名 is 320 万名, 1万亿元 is 1
万亿元); a bare Chinese magnitude counts in full (万台 is 10000 台). Whether a quantity is a target is
decided by the caller (extract/indicators.py); this module only reads what is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.extract.text_utils import cn_to_int

Number = int | float

# Counting units of the genre, longest first so 人次 wins over 人 and 平方公里 over 公里.
COUNT_UNITS = (
    "个百分点", "百分点", "平方公里", "平方米", "立方米", "千瓦时", "万千瓦", "标准箱", "人次", "场次", "户次",
    "架次", "车次", "公里", "千米", "千克", "公斤", "公顷", "千瓦", "兆瓦", "标台", "米",
    "家", "个", "件", "项", "台", "名", "人", "户", "套", "所", "座", "条", "处", "场", "次", "位", "篇", "部",
    "辆", "艘", "张", "间", "块", "棵", "株", "亩", "吨", "元", "倍", "栋", "幢", "根", "盏", "只", "批次", "%", "‰",
)
# Time units count only as a time limit (5分钟内, 压缩至3个工作日); 5年内 / 3个月 are durations, never targets.
TIME_LIMIT_UNITS = ("个工作日", "工作日", "分钟", "小时")
MAGNITUDES = ("万亿", "千亿", "百亿", "十亿", "亿", "千万", "百万", "十万", "万", "千")

_UNIT_WORDS = "|".join(re.escape(u) for u in sorted(COUNT_UNITS + TIME_LIMIT_UNITS, key=len, reverse=True))
_MAGNITUDE = "|".join(MAGNITUDES)
_RATE = r"(?:/(?:日|天|周|月|年|小时|人|户|个|辆|台|次|公里|平方米|亩))"
_UNIT = rf"(?:(?P<mag>{_MAGNITUDE})?(?P<unit>{_UNIT_WORDS})(?P<per>{_RATE})?)"
_UNIT2 = rf"(?:(?:{_MAGNITUDE})?(?:{_UNIT_WORDS}))"

_ARABIC = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUM = rf"[{_CN_DIGIT}十百千万亿]+"
_RANGE_SEP = r"\s*(?:~|至|到|-|—|–)\s*"
_APPROX = r"(?P<approx>多|余)?"

_ARABIC_QUANTITY = re.compile(
    rf"(?<![\dA-Za-z.])(?P<num>{_ARABIC})(?:{_UNIT2}?{_RANGE_SEP}(?P<num2>{_ARABIC}))?{_APPROX}{_UNIT}?"
    rf"(?![A-Za-z\d])"
)
_FRACTION = re.compile(r"(?<![\dA-Za-z./])(?P<a>\d+)/(?P<b>\d+)(?![\dA-Za-z/])")
_CN_FRACTION = re.compile(rf"(?P<b>[{_CN_DIGIT}十百]+)分之(?P<a>[{_CN_DIGIT}十百]+)")
_CN_QUANTITY = re.compile(rf"(?P<num>{_CN_NUM})(?:(?:~|至|到|-)(?P<num2>{_CN_NUM}))?{_APPROX}{_UNIT}")
_ZERO = re.compile(r"零(?P<what>新增|增长)")

# A unit character that is really the start of another word: 3部门, 5条例, 2人民币...
_NOT_A_UNIT_AFTER = {
    "个": "月", "部": "门署委长", "所": "述有属在以谓", "位": "置于数", "处": "理置罚于", "次": "数序性供分污",
    "项": "目", "台": "账阶", "场": "所地景馆", "家": "庭属", "条": "例件款", "人": "才员口民群们工大制",
}


@dataclass(frozen=True)
class Quantity:
    """One number with its unit; span covers the number(s), magnitude and unit."""

    start: int
    end: int
    value: Number | None
    value_max: Number | None
    unit: str
    form: str  # arabic | chinese | fraction | zero
    approx_more: bool = False  # 100多个 / 10余家: more than the number

    @property
    def is_time_limit(self) -> bool:
        return self.unit in TIME_LIMIT_UNITS


def tidy(value: float) -> Number:
    """An int when the value is whole (12.0 -> 12), else the float rounded to six places."""
    return int(value) if float(value).is_integer() else round(value, 6)


def arabic_value(written: str) -> Number:
    return tidy(float(written.replace(",", "")))


def chinese_value(written: str) -> tuple[Number | None, str]:
    """(value, magnitude left for the unit): 十五 -> (15, ''), 三十万 -> (30, '万'), 万 -> (10000, '')."""
    if written in ("万", "亿"):
        return (10000 if written == "万" else 100_000_000), ""
    for mag in ("万亿", "亿", "万"):
        if written.endswith(mag) and len(written) > len(mag):
            value, rest = chinese_value(written[: -len(mag)])
            return (value, mag) if not rest else (None, "")
    if written in ("千", "百", "十"):
        return {"千": 1000, "百": 100, "十": 10}[written], ""
    return cn_to_int(written), ""


def parse_number(written: str) -> Number | None:
    """The value of a number as written: 1,000 / 3.5 / 十五 / 两 / 1/5 / 三分之一 / 百分之八十 (-> 80)."""
    s = written.strip()
    if m := _FRACTION.fullmatch(s):
        return _ratio(int(m["a"]), int(m["b"]))
    if s.startswith("百分之"):
        rest = s[3:]
        return arabic_value(rest) if re.fullmatch(_ARABIC, rest) else cn_to_int(rest)
    if m := _CN_FRACTION.fullmatch(s):
        a, b = cn_to_int(m["a"]), cn_to_int(m["b"])
        return _ratio(a, b) if a is not None and b else None
    if re.fullmatch(_ARABIC, s):
        return arabic_value(s)
    value, magnitude = chinese_value(s)
    if value is None:
        return None
    return value * {"": 1, "万": 10_000, "亿": 100_000_000, "万亿": 10**12}[magnitude]


def _ratio(a: int | None, b: int | None) -> Number | None:
    if a is None or not b:
        return None
    return tidy(a / b)


def find_quantities(folded: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number-with-unit in folded[start:end], in reading order, without overlaps."""
    end = len(folded) if end is None else end
    found = (_arabic(folded, start, end) + _fractions(folded, start, end)
             + _chinese(folded, start, end) + _zeros(folded, start, end))
    found.sort(key=lambda q: (q.start, -(q.end - q.start)))
    kept: list[Quantity] = []
    for q in found:
        if kept and q.start < kept[-1].end:
            continue
        kept.append(q)
    return kept


def _unit_of(m: re.Match[str]) -> str | None:
    if not m["unit"]:
        return None
    return (m["mag"] or "") + m["unit"] + (m["per"] or "")


def _unit_is_word_start(folded: str, m: re.Match[str]) -> bool:
    unit = m["unit"]
    following = folded[m.end(): m.end() + 1]
    return bool(unit and following and following in _NOT_A_UNIT_AFTER.get(unit, ""))


def _arabic(folded: str, start: int, end: int) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _ARABIC_QUANTITY.finditer(folded, start, end):
        if m["num2"] and not m["unit"]:
            continue  # 2023-2025 and 8-23: a range is only read with a unit after it
        unit = _unit_of(m)
        if unit is not None and _unit_is_word_start(folded, m):
            unit = None
        span_end = m.end() if unit is not None else m.end("num2") if m["num2"] else m.end("num")
        out.append(Quantity(
            start=m.start(), end=span_end, value=arabic_value(m["num"]),
            value_max=arabic_value(m["num2"]) if m["num2"] and unit is not None else None,
            unit=unit or "", form="arabic", approx_more=bool(m["approx"]) and unit is not None,
        ))
    return out


def _fractions(folded: str, start: int, end: int) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _FRACTION.finditer(folded, start, end):
        value = _ratio(int(m["a"]), int(m["b"]))
        if value is not None:
            out.append(Quantity(m.start(), m.end(), value, None, "", "fraction"))
    for m in _CN_FRACTION.finditer(folded, start, end):
        if m["b"] == "百":
            value = cn_to_int(m["a"])
            unit = "%"
        else:
            value, unit = parse_number(m.group(0)), ""
        if value is not None:
            out.append(Quantity(m.start(), m.end(), value, None, unit, "fraction"))
    return out


def _chinese(folded: str, start: int, end: int) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _CN_QUANTITY.finditer(folded, start, end):
        if _unit_is_word_start(folded, m):
            continue
        value, magnitude = chinese_value(m["num"])
        if value is None:
            continue
        value_max = None
        if m["num2"]:
            value_max, magnitude2 = chinese_value(m["num2"])
            if value_max is None or magnitude2 != magnitude:
                continue
        out.append(Quantity(
            start=m.start(), end=m.end(), value=value, value_max=value_max,
            unit=magnitude + (m["mag"] or "") + m["unit"], form="chinese", approx_more=bool(m["approx"]),
        ))
    return out


def _zeros(folded: str, start: int, end: int) -> list[Quantity]:
    """零新增 / 零增长: a target of zero; the unit is what the subject counts (the caller supplies it)."""
    return [Quantity(m.start(), m.end(), 0, None, "", "zero") for m in _ZERO.finditer(folded, start, end)]


__all__ = [
    "COUNT_UNITS",
    "TIME_LIMIT_UNITS",
    "Number",
    "Quantity",
    "arabic_value",
    "chinese_value",
    "find_quantities",
    "parse_number",
    "tidy",
]
