"""The department table, canonical names, the issuing place and the spaCy department ruler."""

from __future__ import annotations

import json
import string
import time
from pathlib import Path

import pytest
import spacy

from policykg.extract.departments import (
    LABEL,
    SPANS_KEY,
    Place,
    canonical_name,
    department_patterns,
    department_table,
    detect_place,
    is_collective,
    looks_like_unit,
)

SUZHOU = Place("江苏省", "苏州市", None)
GUANGZHOU = Place("广东省", "广州市", None)
SHANGHAI = Place("上海市", "上海市", None)
FENGXIAN = Place("上海市", "上海市", "奉贤区")
JIANGSU = Place("江苏省", None, None)
NOWHERE = Place(None, None, None)
DATA = Path(__file__).resolve().parents[1] / "extract" / "data" / "departments.json"


# ---------------------------------------------------------------------------------------------- the table


def test_table_is_documented_sorted_utf8_json():
    text = DATA.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["_comment"]
    assert "\\u" not in text  # written with ensure_ascii false
    assert list(data) == sorted(data)
    for section in ("government", "organisations", "party", "national", "collective"):
        assert list(data[section]) == sorted(data[section]), section


def test_table_counts_and_places():
    table = department_table()
    assert len(table["government"]) + len(table["organisations"]) + len(table["party"]) >= 150
    places = table["places"]
    assert len(places["provinces"]) == 34
    assert set(places["municipalities"]) == {"北京市", "天津市", "上海市", "重庆市"}
    assert "苏州市" in places["cities"]["江苏省"]
    assert "广州市" in places["cities"]["广东省"]
    assert "奉贤区" in places["districts"]["上海市"]
    assert "越秀区" in places["districts"]["广州市"]
    assert sum(len(c) for c in places["cities"].values()) > 330


def test_every_template_uses_known_fields():
    table = department_table()
    allowed = {"place", "short", "city", "branch"}
    for section in ("government", "organisations", "party"):
        for key, value in table[section].items():
            for template in value.values() if isinstance(value, dict) else [value]:
                fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
                assert fields <= allowed, (section, key, template)


def test_every_entry_expands_for_a_city():
    table = department_table()
    for key in [*table["government"], *table["organisations"]]:
        full = canonical_name("市" + key, SUZHOU)
        assert full is None or full.startswith(("苏州市", "中共苏州市", "共青团苏州市", "中国", "国", "中华")), key


# ---------------------------------------------------------------------------------------------- canonical


@pytest.mark.parametrize(
    ("name", "place", "expected"),
    [
        ("市质监局", SUZHOU, "苏州市质量技术监督局"),
        ("市经信委", SUZHOU, "苏州市经济和信息化委员会"),
        ("市人社局", SUZHOU, "苏州市人力资源和社会保障局"),
        ("市卫生计生委", SUZHOU, "苏州市卫生和计划生育委员会"),
        ("市食药监局", SUZHOU, "苏州市食品药品监督管理局"),
        ("市文广新局", SUZHOU, "苏州市文化广电新闻出版局"),
        ("市委宣传部", SUZHOU, "中共苏州市委宣传部"),
        ("市总工会", SUZHOU, "苏州市总工会"),
        ("市发展改革委", GUANGZHOU, "广州市发展和改革委员会"),
        ("市委组织部", GUANGZHOU, "中共广州市委组织部"),
        ("市委政法委", GUANGZHOU, "中共广州市委政法委员会"),
        ("团市委", GUANGZHOU, "共青团广州市委员会"),
        ("市法院", GUANGZHOU, "广州市中级人民法院"),
        ("市检察院", GUANGZHOU, "广州市人民检察院"),
        ("市金融办", GUANGZHOU, "广州市人民政府金融工作办公室"),
        ("市国土房管局", GUANGZHOU, "广州市国土资源和房屋管理局"),
        ("越秀区", GUANGZHOU, "广州市越秀区人民政府"),
        ("市住房城乡建设管理委", SHANGHAI, "上海市住房和城乡建设管理委员会"),
        ("市城管执法局", SHANGHAI, "上海市城市管理行政执法局"),
        ("市绿化市容局", SHANGHAI, "上海市绿化和市容管理局"),
        ("市公安局交警总队", SHANGHAI, "上海市公安局交通警察总队"),
        ("市高院", SHANGHAI, "上海市高级人民法院"),
        ("杨浦区政府", SHANGHAI, "上海市杨浦区人民政府"),
        ("区建管委", FENGXIAN, "上海市奉贤区建设和管理委员会"),
        ("区委组织部", FENGXIAN, "中共上海市奉贤区委组织部"),
        ("区公安分局", FENGXIAN, "上海市公安局奉贤分局"),
        ("区政府", FENGXIAN, "上海市奉贤区人民政府"),
        ("市政府", FENGXIAN, "上海市人民政府"),
        ("省住房城乡建设厅", JIANGSU, "江苏省住房和城乡建设厅"),
        ("市发改委", Place("江苏省", "苏州市", "昆山市"), "昆山市发展和改革委员会"),
        ("国家发展改革委", NOWHERE, "国家发展和改革委员会"),
        ("工信部", NOWHERE, "工业和信息化部"),
        ("各区政府", SHANGHAI, "各区人民政府"),
        ("各县（市、区）政府", SUZHOU, "各县（市、区）人民政府"),
        ("苏州出入境检验检疫局", SUZHOU, "中华人民共和国苏州出入境检验检疫局"),
        ("上海海事局", SHANGHAI, "中华人民共和国上海海事局"),
        ("中共苏州市委组织部", NOWHERE, "中共苏州市委组织部"),
        ("市科技和信息化局", GUANGZHOU, "广州市科技和信息化局"),
        ("市住房保障办", GUANGZHOU, "广州市住房保障办公室"),
        ("市水务局（海洋局）", SHANGHAI, "上海市水务局"),
    ],
)
def test_canonical_name(name, place, expected):
    assert canonical_name(name, place) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ("市应急局", "市应急管理局"),
        ("市市场监管局", "市市场监督局", "市市场监督管理局"),
        ("市房管局", "市房屋管理局"),
        ("市发改委", "市发展改革委", "市发展和改革委员会"),
        ("市卫健委", "市卫生健康委", "市卫生健康委员会"),
        ("市文旅局", "市文化旅游局", "市文化和旅游局"),
    ],
)
def test_spelling_variants_share_one_canonical(variants):
    names = {canonical_name(v, SHANGHAI) for v in variants}
    assert len(names) == 1 and None not in names, names


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("市留交办", GUANGZHOU),  # an abbreviation the table does not know
        ("市质监局", NOWHERE),  # 市 stands for no known place
        ("区建管委", SHANGHAI),  # a city document has no 区 of its own
        ("镇政府", FENGXIAN),
        ("各有关单位", GUANGZHOU),
        ("各区、县级市", GUANGZHOU),
        ("", SUZHOU),
    ],
)
def test_canonical_name_is_none_when_unsure(name, place):
    assert canonical_name(name, place) is None


def test_prefix_for():
    assert Place(city="苏州市").prefix_for("市") == "苏州市"
    assert Place(city="上海市", district="奉贤区").prefix_for("区") == "上海市奉贤区"
    assert FENGXIAN.prefix_for("市") == "上海市"
    assert Place(city="苏州市").prefix_for("区") is None
    assert JIANGSU.prefix_for("省") == "江苏省"
    assert SUZHOU.prefix_for("省") == "江苏省"
    assert SHANGHAI.prefix_for("省") is None
    assert Place("江苏省", "苏州市", "昆山市").prefix_for("市") == "昆山市"
    assert Place("浙江省", "湖州市", "长兴县").prefix_for("县") == "长兴县"
    assert Place("广西壮族自治区").prefix_for("自治区") == "广西壮族自治区"
    assert SUZHOU.prefix_for("镇") is None


# ---------------------------------------------------------------------------------------------- kinds of names


@pytest.mark.parametrize(
    "name",
    ["各区政府", "各区人民政府", "各县（市、区）人民政府", "各市、区人民政府", "各区、县级市", "各有关区、县级市",
     "各街镇", "各街道、镇", "各有关部门", "各有关单位", "各部门", "各相关部门", "各成员单位", "各行业部门",
     "属地街镇", "各项目牵头单位", "建设主管部门", "市各委办局", "各涉农区政府", "相关企事业科研单位"],
)
def test_collective(name):
    assert is_collective(name)


@pytest.mark.parametrize("name", ["市发改委", "越秀区", "团市委", "牵头单位", "各级财政", "有关规定", "市政府", ""])
def test_not_collective(name):
    assert not is_collective(name)


@pytest.mark.parametrize(
    "text",
    ["市发改委", "经信委", "苏州出入境检验检疫局", "上海海事局", "中共广州市委", "广州市人民政府",
     "苏州市人民政府办公室", "示例市人民政府办公室", "越秀区", "市留交办", "团市委", "各有关部门", "苏州工业园区",
     "苏州高新区管委会", "同济大学", "申通地铁集团", "县级市", "区人民政府", "南桥镇", "市委", "国家发展改革委"],
)
def test_looks_like_unit(text):
    assert looks_like_unit(text)


@pytest.mark.parametrize(
    "text",
    ["牵头负责", "组织落实", "按职责分工", "加强监管", "负责", "牵头单位", "优化产业布局", "政务大厅", "全部", "城镇",
     "示范区", "一网通办", "区政府挂牌督办", "2025年底前", "市发改委、经信委", ""],
)
def test_does_not_look_like_unit(text):
    assert not looks_like_unit(text)


# ---------------------------------------------------------------------------------------------- place


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("苏州市人民政府办公室", SUZHOU),
        ("上海市奉贤区人民政府", FENGXIAN),
        ("中共广州市委、广州市人民政府", GUANGZHOU),
        ("江苏省人民政府", JIANGSU),
        ("上海市人民政府办公厅", SHANGHAI),
        ("奉贤区建设和管理委员会", FENGXIAN),
        ("昆山市人民政府", Place("江苏省", "苏州市", "昆山市")),
    ],
)
def test_detect_place_from_issuer(issuer, expected):
    assert detect_place(issuer, "关于推进北京市某项工作的通知", "广州市人民政府") == expected


def test_detect_place_from_title():
    assert detect_place(None, "上海市奉贤区人民政府关于印发…的通知", "") == FENGXIAN
    assert detect_place("市政府办公室", "苏州市推进质量提升的意见", "") == SUZHOU


def test_detect_place_from_body_alone():
    body = (
        "为贯彻落实《中共广州市委、广州市人民政府关于加快人才发展的决定》，结合江苏省经验，现提出如下意见。\n"
        "（责任单位：市委组织部、市人力资源和社会保障局）\n广州市人民政府\n2012年9月19日"
    )
    assert detect_place(None, "关于推进人才集聚工程的实施意见", body) == GUANGZHOU


def test_detect_place_unknown():
    assert detect_place(None, "关于印发示例市推进质量提升行动方案的通知", "东莞市场繁荣。") == NOWHERE


# ---------------------------------------------------------------------------------------------- spaCy


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.blank("zh")
    pipeline.add_pipe("policykg_department_ruler")
    return pipeline


def test_patterns_are_phrases():
    patterns = department_patterns()
    texts = [p["pattern"] for p in patterns]
    assert all(p["label"] == LABEL and isinstance(p["pattern"], str) for p in patterns)
    assert len(texts) == len(set(texts))
    assert {"市发改委", "各区政府", "市委组织部", "团市委", "国家发展改革委"} <= set(texts)
    assert "政府" not in texts  # a generic stem is never matched without its level
    assert len(texts) < 6000


def test_ruler_finds_departments(nlp):
    doc = nlp("（责任单位：市发改委、各区政府，苏州出入境检验检疫局）市政府将加强统筹。")
    found = [s.text for s in doc.spans[SPANS_KEY]]
    assert found == ["市发改委", "各区政府", "苏州出入境检验检疫局", "市政府"]
    assert all(s.label_ == LABEL for s in doc.spans[SPANS_KEY])


def test_ruler_takes_in_the_written_place(nlp):
    doc = nlp("由中共广州市委组织部和上海市奉贤区建管委负责。")
    assert [s.text for s in doc.spans[SPANS_KEY]] == ["中共广州市委组织部", "上海市奉贤区建管委"]


def test_ruler_finds_nothing_without_departments(nlp):
    doc = nlp("进一步优化产业布局，提升城市品质，推动高质量发展。")
    assert list(doc.spans[SPANS_KEY]) == []


def test_ruler_with_a_place_gives_canonical_ids():
    pipeline = spacy.blank("zh")
    pipeline.add_pipe("policykg_department_ruler", config={"province": "江苏省", "city": "苏州市"})
    doc = pipeline("（责任部门：市质监局、经信委）苏州市发展和改革委员会")
    assert [(s.text, s.id_) for s in doc.spans[SPANS_KEY]] == [
        ("市质监局", "苏州市质量技术监督局"),
        ("经信委", "苏州市经济和信息化委员会"),
        ("苏州市发展和改革委员会", "苏州市发展和改革委员会"),
    ]


def test_ruler_keeps_existing_spans(nlp):
    doc = nlp.make_doc("市发改委牵头")
    doc.spans[SPANS_KEY] = [doc.char_span(0, 4, label="EARLIER")]
    doc = nlp.get_pipe("policykg_department_ruler")(doc)
    assert [(s.text, s.label_) for s in doc.spans[SPANS_KEY]] == [("市发改委", "EARLIER")]


def test_building_the_ruler_is_fast():
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        spacy.blank("zh").add_pipe("policykg_department_ruler")
        best = min(best, time.perf_counter() - start)
    assert best < 0.5
