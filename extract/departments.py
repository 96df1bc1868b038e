"""Government departments: the naming table, full official names, the issuing place, and a spaCy ruler.

Everything here comes from the general table `data/departments.json` (abbreviations, templates, place
names) plus the naming rules of Chinese government bodies; nothing is specific to one document.
An abbreviated name such as 市质监局 is read as a level prefix (市) and a stem (质监局); the stem's
template gives the full name once the level is tied to the issuing place (苏州市 -> 苏州市质量技术监督局).
"""

from __future__ import annotations

import json
import re
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any, NamedTuple

from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Span

from policykg.extract.normalize import fold
from policykg.extract.tokenizer import doc_text

LABEL = "DEPT"
SPANS_KEY = "departments"

Template = str | dict[str, str]

_PAREN = re.compile(r"\([^()]*\)")
_NOT_NAME = re.compile(r"[\s,;:。!?“”\"'《》<>\d]|者|为(牵头|配合|责任|主责)|以下|简称|列第")
_AFTER_PLACE_SEAT = ("人民政府", "政府", "委")  # 苏州市人民政府, 中共广州市委: the issuing bodies themselves
_NAME_SUFFIX_CHARS = "省市区县州盟旗"


# --------------------------------------------------------------------------------------------- the table


@cache
def department_table() -> dict[str, Any]:
    """The raw naming table (data/departments.json), loaded once."""
    path = files("policykg.extract").joinpath("data").joinpath("departments.json")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class _Tables:
    government: dict[str, Template]
    organisations: dict[str, Template]
    party: dict[str, str]
    national: dict[str, str]
    levels: dict[str, str]
    generic: frozenset[str]
    collective: dict[str, str | None]
    collective_start: re.Pattern[str]
    collective_nouns: tuple[str, ...]
    generic_suffixes: tuple[str, ...]
    collective_tails: frozenset[str]
    role_words: frozenset[str]
    unit_suffixes: tuple[str, ...]
    single_char_suffixes: str
    non_unit_endings: frozenset[str]
    verb_prefixes: tuple[str, ...]
    full_suffixes: tuple[str, ...]
    provinces: frozenset[str]
    municipalities: frozenset[str]
    city_province: dict[str, str]
    district_parents: dict[str, tuple[str, ...]]
    place_names: frozenset[str]  # provinces, cities and districts: what a place mention can be
    short_to_full: dict[str, str]
    full_to_short: dict[str, str]


def _plain(value: Template, form: str) -> Template:
    """A bare stem becomes a template in its group's form; templates and tier objects are kept."""
    if isinstance(value, dict):
        return {tier: str(_plain(v, form)) for tier, v in value.items()}
    return value if "{" in value else form.format(stem=value)


def _longest_first(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(items), key=len, reverse=True))


@cache
def _tables() -> _Tables:
    raw = department_table()
    places = raw["places"]
    municipalities = frozenset(places["municipalities"])
    city_province = {m: m for m in municipalities}
    for province, cities in places["cities"].items():
        for city in cities:
            city_province.setdefault(city, province)
    district_parents: dict[str, list[str]] = {}
    for parent, districts in places["districts"].items():
        for d in districts:
            district_parents.setdefault(d, []).append(parent)
    full_to_short = dict(places["short_names"])
    for name in [*places["provinces"], *city_province]:
        full_to_short.setdefault(name, _strip_suffix(name))
    short_to_full: dict[str, str] = {}
    for full, short in full_to_short.items():
        if short:
            short_to_full.setdefault(short, full)
    rule = raw["collective_rule"]
    start = "|".join(map(re.escape, _longest_first(rule["starts"])))
    scopes = "|".join(map(re.escape, _longest_first(rule["scopes"])))
    return _Tables(
        government={k: _plain(v, "{{place}}{stem}") for k, v in raw["government"].items()},
        organisations={k: _plain(v, "{{place}}{stem}") for k, v in raw["organisations"].items()},
        party={k: str(_plain(v, "中共{{place}}委{stem}")) for k, v in raw["party"].items()},
        national={**{v: v for v in raw["national"].values()}, **raw["national"]},
        levels=raw["levels"],
        generic=frozenset(raw["generic_stems"]),
        collective={fold(k): v for k, v in raw["collective"].items()},
        collective_start=re.compile(rf"^(?:{scopes})?(?:{start})"),
        collective_nouns=_longest_first(rule["unit_nouns"]),
        generic_suffixes=tuple(rule["generic_suffixes"]),
        collective_tails=frozenset(raw["collective_tails"]),
        role_words=frozenset(raw["role_words"]),
        unit_suffixes=_longest_first(raw["unit_suffixes"]),
        single_char_suffixes="".join(raw["single_char_suffixes"]),
        non_unit_endings=frozenset(raw["non_unit_endings"]),
        verb_prefixes=_longest_first(raw["verb_prefixes"]),
        full_suffixes=_longest_first(raw["full_suffixes"]),
        provinces=frozenset(places["provinces"]),
        municipalities=municipalities,
        city_province=city_province,
        district_parents={d: tuple(p) for d, p in district_parents.items()},
        place_names=frozenset([*places["provinces"], *city_province, *district_parents]),
        short_to_full=short_to_full,
        full_to_short=full_to_short,
    )


def _strip_suffix(name: str) -> str | None:
    for suffix in ("特别行政区", "地区", "省", "市", "盟", "区", "县", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


def _short(name: str | None) -> str | None:
    if not name:
        return None
    return _tables().full_to_short.get(name) or _strip_suffix(name)


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", fold(name))


# --------------------------------------------------------------------------------------------- places


class _Scope(NamedTuple):
    """What a level prefix stands for: the name prefix, its tier and the parts a template may use."""

    prefix: str
    tier: str  # national | province | city | county
    short: str | None = None
    city: str | None = None
    branch: str | None = None


@dataclass(frozen=True)
class Place:
    """The issuing place of a document; a municipality (上海市) is both its province and its city."""

    province: str | None = None
    city: str | None = None
    district: str | None = None  # a district, county or county-level city

    @property
    def is_municipality(self) -> bool:
        return self.city is not None and self.city == self.province

    def prefix_for(self, level: str) -> str | None:
        """What 市/省/区/县 in an abbreviated name stands for: Place(city="苏州市").prefix_for("市") == "苏州市"."""
        scope = self._scope(level)
        return scope.prefix if scope else None

    def _scope(self, level: str | None = None) -> _Scope | None:
        """The scope of a level prefix, or of the place itself (the most specific part) when level is None."""
        if level is None:
            if self.district:
                return self._county()
            if self.city:
                return self._city()
            return self._province()
        if level in ("省", "自治区"):
            return self._province() if self.province and self.province.endswith(level) else None
        if level == "市":
            if self.district and self.district.endswith("市"):
                return self._county()
            return self._city() if self.city and self.city.endswith("市") else None
        if level == "州":
            return self._city() if self.city and self.city.endswith("州") else None
        if level in ("区", "县", "旗"):
            return self._county() if self.district and self.district.endswith(level) else None
        return None  # 镇, 乡, 街道: a document never names its town in a Place

    def _province(self) -> _Scope | None:
        if not self.province:
            return None
        return _Scope(self.province, "province", _short(self.province), self.city)

    def _city(self) -> _Scope | None:
        if not self.city:
            return None
        # a municipality's own bodies are provincial in rank (上海市高级人民法院)
        tier = "province" if self.is_municipality else "city"
        return _Scope(self.city, tier, _short(self.city), self.city)

    def _county(self) -> _Scope | None:
        d = self.district
        if not d:
            return None
        short = _strip_suffix(d)
        if self.is_municipality:
            return _Scope(f"{self.city}{d}", "county", short, self.city, short)
        # districts are named under their city (广州市越秀区); counties and county-level cities stand alone
        prefix = f"{self.city}{d}" if self.city and d.endswith("区") else d
        return _Scope(prefix, "county", short, self.city, d)


def _place_of(name: str, context: Place | None = None) -> Place | None:
    """The Place a province, city or district name denotes; an ambiguous district is read in its context."""
    t = _tables()
    if name in t.municipalities:
        return Place(name, name, None)
    if name in t.provinces:
        return Place(name, None, None)
    if name in t.city_province:
        return Place(t.city_province[name], name, None)
    parents = t.district_parents.get(name, ())
    if context and len(parents) > 1:
        parents = tuple(p for p in parents if p in (context.city, context.province)) or parents
    if len(parents) != 1:
        return None
    parent = parents[0]
    if parent in t.city_province:
        return Place(t.city_province[parent], parent, name)
    return Place(parent, None, name)


class _Mention(NamedTuple):
    start: int
    end: int
    name: str


def _place_mentions(text: str) -> list[_Mention]:
    """Province, city and district names in the text, leftmost-longest, without overlaps."""
    t = _tables()
    found: list[_Mention] = []
    for end in range(2, len(text) + 1):
        if text[end - 1] not in _NAME_SUFFIX_CHARS:
            continue
        if text[end - 1] == "市" and text[end:end + 1] == "场":
            continue  # 东莞市场 is a market, not 东莞市
        for length in range(min(end, 12), 1, -1):
            name = text[end - length:end]
            if name in t.place_names and (len(name) >= 3 or name not in t.district_parents):
                found.append(_Mention(end - length, end, name))
                break
    out: list[_Mention] = []
    for m in sorted(found, key=lambda m: (m.start, -m.end)):
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out


def _resolve(mentions: list[_Mention], i: int, context: Place | None = None) -> tuple[Place | None, int]:
    """The Place named by mentions[i] and the adjacent ones that narrow it (江苏省苏州市, 上海市奉贤区)."""
    place = _place_of(mentions[i].name, context)
    j = i + 1
    while place and j < len(mentions) and mentions[j].start == mentions[j - 1].end:
        nxt = _place_of(mentions[j].name, place)
        if not nxt or place.district or not _within(nxt, place):
            break
        place, j = nxt, j + 1
    return place, j


def _within(inner: Place, outer: Place) -> bool:
    if outer.city:
        return inner.city == outer.city and inner.district is not None
    return inner.province == outer.province and inner != outer


def _place_in_heading(text: str) -> Place | None:
    mentions = _place_mentions(text)
    for i in range(len(mentions)):
        place, _ = _resolve(mentions, i)
        if place:
            return place
    return None


def _place_by_frequency(text: str) -> Place | None:
    """The place whose government or Party committee the text names most often (first named wins ties)."""
    mentions = _place_mentions(text)
    seats: Counter[Place] = Counter()
    named: Counter[Place] = Counter()
    i = 0
    while i < len(mentions):
        place, j = _resolve(mentions, i)
        end = mentions[j - 1].end
        if place:
            named[place] += 1
            start = mentions[i].start
            if text.startswith(_AFTER_PLACE_SEAT, end) or (start >= 2 and text.startswith("中共", start - 2)):
                seats[place] += 1
        i = j
    if seats:
        return seats.most_common(1)[0][0]
    # no government named: a place the text keeps citing (《上海市…条例》) when no other place competes
    if named:
        place, count = named.most_common(1)[0]
        if count >= 2 and count * 2 > sum(named.values()):
            return place
    return None


def detect_place(issuer: str | None, title: str | None, text: str) -> Place:
    """The issuing place: from the issuer, else the title, else the bodies the text names most often."""
    for heading in (issuer, title):
        if heading:
            place = _place_in_heading(_norm(heading))
            if place:
                return place
    return _place_by_frequency(fold(text)) or Place()


# --------------------------------------------------------------------------------------------- reading names


class _Anchor(NamedTuple):
    """How a name is tied to a place: a level prefix (市), an explicit place, 国家/国务院, or nothing."""

    kind: str  # level | place | short | national | bare
    text: str = ""
    place: Place | None = None


class _Reading(NamedTuple):
    anchor: _Anchor
    rest: str
    template: Template | None


def _lookup(rest: str, anchor: _Anchor) -> Template | None:
    t = _tables()
    if anchor.kind == "national":
        template = t.government.get(rest)
        # only place + stem reads after 国家 (国家发展改革委); office forms such as 法制办 do not
        plain = isinstance(template, str) and template.startswith("{place}") and _fields(template) == {"place"}
        return template if plain else None
    if anchor.kind == "bare" and rest in t.generic:
        return None
    if rest.startswith("委") and (rest == "委" or rest[1:] in t.party):
        return "中共{place}委员会" if rest == "委" else t.party[rest[1:]]
    for group in (t.government, t.organisations, t.party):
        if rest in group:
            return group[rest]
    return None


def _leading_places(name: str, context: Place) -> list[tuple[_Anchor, str]]:
    """Explicit places the name starts with (广州市越秀区…, 越秀区…, 苏州…), longest first."""
    t = _tables()
    out: list[tuple[_Anchor, str]] = []
    mentions = _place_mentions(name[:14])
    if mentions and mentions[0].start == 0:
        place, j = _resolve(mentions, 0, context)
        if place:
            out.append((_Anchor("place", name[:mentions[j - 1].end], place), name[mentions[j - 1].end:]))
    for length in (3, 2):
        full = t.short_to_full.get(name[:length])
        if full and len(name) > length:
            out.append((_Anchor("short", name[:length], _place_of(full)), name[length:]))
    return out


def starts_with_place(name: str) -> bool:
    """Does the name carry its own place (越秀区…, 上海海事局, 苏州出入境检验检疫局), so no 市/区 prefix applies?"""
    return bool(_leading_places(name, Place()))


def _readings(name: str, context: Place) -> list[tuple[_Anchor, str]]:
    t = _tables()
    readings = _leading_places(name, context)
    for prefix in ("国家", "国务院"):
        if name.startswith(prefix):
            readings.append((_Anchor("national", prefix), name[len(prefix):]))
    for level in sorted(t.levels, key=len, reverse=True):
        if name.startswith(level) and len(name) > len(level):
            readings.append((_Anchor("level", level), name[len(level):]))
    readings.append((_Anchor("bare"), name))
    return readings


def _read(name: str, context: Place) -> _Reading | None:
    """The first reading whose stem the table knows, else the first reading (for the fallbacks)."""
    youth = name.startswith("共青团")
    core = name[3:] if youth else name[2:] if name.startswith("中共") else name
    m = re.fullmatch(r"团(省|自治区|市|州|区|县)委", core)
    if m:
        return _Reading(_Anchor("level", m.group(1)), "团委", _tables().organisations["团委"])
    readings = _readings(core, context)
    for anchor, rest in readings:
        if youth and rest in ("委", "委员会"):
            return _Reading(anchor, rest, _tables().organisations["团委"])
        template = _lookup(rest, anchor)
        if template is not None:
            return _Reading(anchor, rest, template)
    return _Reading(*readings[0], None) if readings else None


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _render(template: Template, scope: _Scope) -> str | None:
    if isinstance(template, dict):
        chosen = template.get(scope.tier) or template.get("*")
        if chosen is None:
            return None
        template = chosen
    values = {"place": scope.prefix, "short": scope.short, "city": scope.city, "branch": scope.branch}
    if any(values.get(f) is None for f in _fields(template)):
        return None
    return template.format(**values)


def _scope_of(anchor: _Anchor, place: Place) -> _Scope | None:
    if anchor.kind == "national":
        return _Scope(anchor.text, "national")
    if anchor.kind in ("place", "short") and anchor.place:
        scope = anchor.place._scope()
        return scope._replace(short=anchor.text) if scope and anchor.kind == "short" else scope
    if anchor.kind == "level":
        return place._scope(anchor.text)
    return place._scope()


def _is_full(rest: str) -> bool:
    """Is this stem a government body's name written in full (科技和信息化局, 质量强市工作领导小组办公室)?"""
    for suffix in _tables().full_suffixes:
        if rest.endswith(suffix):
            return len(rest) >= (5 if suffix == "局" else 4)
    return False


def _expand_unknown(rest: str) -> str | None:
    """A stem the table lacks: long stems drop only 公室/员会 (住房保障办 -> 住房保障办公室); short ones are unknown."""
    if rest.startswith(("中国", "中华", "国家", *_tables().national)):
        return None  # a national body is never a 市/区 department, whatever prefix a list gave it
    if _is_full(rest):
        return rest
    if len(rest) >= 5 and rest.endswith("办"):
        return rest + "公室"
    if len(rest) >= 5 and rest.endswith("委"):
        return rest + "员会"
    return None


def _fallback(name: str, reading: _Reading, place: Place) -> str | None:
    t = _tables()
    anchor, rest = reading.anchor, reading.rest
    if anchor.kind == "short":
        return name if rest and _has_unit_suffix(rest) else None
    scope = _scope_of(anchor, place)
    if anchor.kind == "place" and scope:
        if not rest:
            return f"{scope.prefix}人民政府"
        return scope.prefix + rest if _has_unit_suffix(rest) else None
    if anchor.kind == "level" and scope:
        stem = _expand_unknown(rest)
        return scope.prefix + stem if stem else None
    if anchor.kind == "bare":
        town = re.fullmatch(r"(.{2,5})(街道|镇|乡)(办事处|人民政府)?", name)
        if town and scope and scope.tier == "county" and not _non_unit(town.group(1) + town.group(2)):
            kind = "办事处" if town.group(2) == "街道" else "人民政府"
            return f"{scope.prefix}{town.group(1)}{town.group(2)}{kind}"
        # written in full already: 同济大学, 申通地铁集团, 中国人民银行上海总部
        if len(name) >= 4 and (_is_full(name) or name.endswith(t.unit_suffixes)
                               or (name.startswith(("中国", "中华", "国家")) and _has_unit_suffix(name))):
            return name
    return None


def canonical_name(name: str, place: Place) -> str | None:
    """The full official name of a department as written in a clause (市质监局 in 苏州 -> 苏州市质量技术监督局).

    None when unsure: an unknown abbreviation (市留交办), a level the place does not have, a generic owner.
    """
    n = _norm(name)
    if not n:
        return None
    if is_collective(n):
        return _collective_canonical(n)
    # 市水务局（海洋局）, 市交通委（运行处）: the body outside the brackets is the one named
    n = _PAREN.sub("", n) or n
    t = _tables()
    if n in t.national:
        return t.national[n]
    reading = _read(n, place)
    if reading is None:
        return None
    if reading.template is None:
        return _fallback(n, reading, place)
    scope = _scope_of(reading.anchor, place)
    return _render(reading.template, scope) if scope else None


# --------------------------------------------------------------------------------------------- kinds of names


def _collective_canonical(name: str) -> str | None:
    t = _tables()
    if name in t.collective:
        return t.collective[name]
    if name.endswith("政府") and not name.endswith("人民政府"):
        return name[:-2] + "人民政府"  # 各涉农区政府 -> 各涉农区人民政府
    return None


def is_collective(name: str) -> bool:
    """Is this a collective or generic owner (各区政府, 各有关部门, 属地街镇, 建设主管部门)?"""
    t = _tables()
    n = _norm(name)
    if not n or n in t.role_words:
        return False
    if n in t.collective:
        return True
    core = _PAREN.sub("", n)
    if t.collective_start.match(core) and core.endswith(t.collective_nouns):
        return True
    return core.endswith(t.generic_suffixes) and len(core) > 2


def _non_unit(text: str) -> bool:
    return text[-2:] in _tables().non_unit_endings


def _has_unit_suffix(text: str) -> bool:
    t = _tables()
    if text.endswith(t.unit_suffixes):
        return True
    return len(text) >= 2 and text[-1] in t.single_char_suffixes and not _non_unit(text)


def _known(name: str) -> bool:
    t = _tables()
    if name in t.national or (len(name) >= 3 and name in t.place_names):
        return True  # two-character districts (城区, 郊区) are words first
    reading = _read(name, Place())
    return reading is not None and reading.template is not None


def looks_like_unit(text: str) -> bool:
    """Is this short string plausibly an organisation's name (市发改委, 越秀区, 各有关部门), not a verb phrase?"""
    t = _tables()
    n = _norm(text)
    if not n or len(n) > 40 or n in t.role_words:
        return False
    core = _PAREN.sub("", n)
    if not core or _NOT_NAME.search(core):
        return False
    if n in t.collective_tails or is_collective(n):
        return True
    if "、" in core:
        return False
    if _known(core):
        return True
    if core.startswith(t.verb_prefixes):
        return False
    if re.search(r"(工业园区|高新区|开发区|保税区|新区)$", core):
        return bool(_leading_places(core, Place()))
    if _abbreviation_shaped(core):
        return True
    return _has_unit_suffix(core)


def _abbreviation_shaped(name: str) -> bool:
    """市留交办: a level prefix and a short stem in 办/委/局 is a unit the table lacks, even if it ends like 交办."""
    m = re.fullmatch(r"[省市区县镇乡](.{2,5})", name)
    if not m or name[-1] not in "办委局":
        return False
    stem = m.group(1)
    return not stem.startswith("政府") and stem not in _tables().non_unit_endings


# --------------------------------------------------------------------------------------------- spaCy


def _levels_for(key: str, template: Template) -> tuple[str, ...]:
    if key.endswith("厅"):
        return ("省", "自治区")
    if isinstance(template, dict) and set(template) == {"county"}:
        return ("区", "县")
    if key in ("政府", "人民政府"):
        return ("省", "市", "区", "县", "镇", "乡")
    return ("市", "区", "县", "省")


def _bare_ok(key: str) -> bool:
    return len(key) >= 3 and key not in _tables().generic


def _general_patterns() -> list[str]:
    t = _tables()
    out: list[str] = []
    for group in (t.government, t.organisations):
        for key, template in group.items():
            out += [level + key for level in _levels_for(key, template)]
            if _bare_ok(key):
                out.append(key)
    for level in ("省", "市", "区", "县"):
        out += [f"{level}委", f"团{level}委", f"{level}团委"]
        out += [f"{level}委{key}" for key in t.party]
        out += [level + key for key in t.party if key not in t.generic]
    out += list(t.national)
    for key, template in t.government.items():
        if _lookup(key, _Anchor("national", "国家")) is not None and isinstance(template, str):
            out.append("国家" + key)
            if key.endswith(("委", "办")):
                out.append("国务院" + key)
    out += _collective_patterns()
    return out


def _collective_patterns() -> list[str]:
    t = _tables()
    out = [*t.collective, *department_table()["collective"]]
    nouns = ("部门", "单位", "委办局", "街镇", "街道", "镇", "乡镇", "区政府", "区人民政府", "成员单位")
    for scope in ("", "市", "区"):
        for start in ("各", "各有关", "各相关", "有关", "相关"):
            out += [scope + start + noun for noun in nouns]
    return out


def _place_patterns(place: Place) -> list[tuple[str, str | None]]:
    """Names as a document of this place writes them in full (苏州市质监局, 苏州市质量技术监督局, 苏州海关)."""
    t = _tables()
    out: list[tuple[str, str | None]] = []
    own = [lv for lv in ("省", "自治区", "市", "州", "区", "县") if place._scope(lv)]
    for level in own:
        scope = place._scope(level)
        assert scope is not None
        for key in [*t.government, *t.organisations, *(f"委{k}" for k in t.party), "委"]:
            canonical = canonical_name(level + key, place)
            if canonical:
                out += [(canonical, canonical), (scope.prefix + key, canonical)]
                if scope.short and "{short}" in str(t.organisations.get(key, "")):
                    out.append((scope.short + key, canonical))
    return out


def department_patterns(place: Place | None = None) -> list[dict[str, str]]:
    """SpanRuler phrase patterns (label DEPT): level-prefixed abbreviations, full names, collective phrases.

    With a place, the full names of that place's departments are added, each with its canonical name as id.
    """
    seen: set[str] = set()
    patterns: list[dict[str, str]] = []
    entries: list[tuple[str, str | None]] = [(p, None) for p in _general_patterns()]
    if place:
        entries = _place_patterns(place) + [(p, canonical_name(p, place)) for p, _ in entries]
    for text, canonical in entries:
        if text in seen:
            continue
        seen.add(text)
        pattern = {"label": LABEL, "pattern": text}
        if canonical:
            pattern["id"] = canonical
        patterns.append(pattern)
    return patterns


def _extend_left(span: Span, text: str) -> Span:
    """Take in the place and 中共 written before a match (市发改委 matched inside 苏州市发改委).

    text is span.doc.text, passed in because Doc.text rebuilds the string on every access.
    """
    t = _tables()
    start = span.start_char
    if span.text[:1] in _NAME_SUFFIX_CHARS:
        # the place name ends with the match's level character: 苏州市 + 市发改委
        start = next((start - k for k in range(2, 11)
                      if start - k >= 0 and text[start - k:start + 1] in t.place_names), start)
    else:
        # vertical agencies carry the short place name: 苏州 + 出入境检验检疫局
        start = next((start - k for k in (3, 2) if start - k >= 0 and text[start - k:start] in t.short_to_full),
                     start)
    while True:
        k = next((k for k in range(12, 1, -1) if start - k >= 0 and (
            (k >= 3 and text[start - k:start] in t.place_names) or text[start - k:start] == "中共")), 0)
        if not k:
            break
        start -= k
    if start == span.start_char:
        return span
    return span.doc.char_span(start, span.end_char, label=span.label, span_id=span.id) or span


def _longest_spans(existing: Iterable[Span], matches: Iterable[Span]) -> list[Span]:
    """The new matches to keep: longest first, none overlapping another or an existing span."""
    taken: set[int] = set()
    for span in existing:
        taken.update(range(span.start, span.end))
    kept: list[Span] = []
    matches = list(matches)
    text = doc_text(matches[0].doc) if matches else ""
    for span in sorted((_extend_left(s, text) for s in matches), key=lambda s: (s.start - s.end, s.start)):
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept)


@Language.factory(
    "policykg_department_ruler",
    default_config={
        "spans_key": SPANS_KEY,
        "overwrite": False,
        "phrase_matcher_attr": None,
        "province": None,
        "city": None,
        "district": None,
    },
)
def make_department_ruler(
    nlp: Language,
    name: str,
    spans_key: str,
    overwrite: bool,
    phrase_matcher_attr: str | None,
    province: str | None,
    city: str | None,
    district: str | None,
) -> SpanRuler:
    """A SpanRuler over `department_patterns()`; mentions go to doc.spans[spans_key], longest match first.

    province/city/district name the documents' place when known, to add that place's full names.
    """
    ruler = SpanRuler(
        nlp,
        name,
        spans_key=spans_key,
        spans_filter=_longest_spans,
        overwrite=overwrite,
        phrase_matcher_attr=phrase_matcher_attr,
    )
    place = Place(province, city, district) if (province or city or district) else None
    ruler.add_patterns(department_patterns(place))
    return ruler


__all__ = [
    "LABEL",
    "SPANS_KEY",
    "Place",
    "canonical_name",
    "department_patterns",
    "department_table",
    "detect_place",
    "is_collective",
    "looks_like_unit",
    "make_department_ruler",
]
