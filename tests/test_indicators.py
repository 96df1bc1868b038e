"""Quantitative indicators: numbers as written, targets and their subjects, comparators, years, flags,
the non-target kinds, and the spaCy component. Every sentence here is written for the test."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from policykg.extract.indicators import Target, find_targets
from policykg.extract.normalize import fold
from policykg.extract.numbers import find_quantities, parse_number
from policykg.extract.records import Extraction
from policykg.extract.structure import parse_sections

# --- numbers as written ---------------------------------------------------------------------------------


def quantities(text: str) -> list[tuple[object, object, str]]:
    return [(q.value, q.value_max, q.unit) for q in find_quantities(fold(text))]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("建成驿站45个", [(45, None, "个")]),
        ("建成驿站４５个", [(45, None, "个")]),  # full-width digits
        ("覆盖率９９．５％", [(99.5, None, "%")]),
        ("投资2.5亿元", [(2.5, None, "亿元")]),
        ("产值3万亿元", [(3, None, "万亿元")]),
        ("服务450万名居民", [(450, None, "万名")]),
        ("改造26万户", [(26, None, "万户")]),
        ("培训8000人次", [(8000, None, "人次")]),
        ("铺设管网12公里", [(12, None, "公里")]),
        ("绿地8000平方米", [(8000, None, "平方米")]),
        ("处置能力600吨/日", [(600, None, "吨/日")]),
        ("引进10,000人", [(10000, None, "人")]),
        ("新建十家", [(10, None, "家")]),
        ("建设百个", [(100, None, "个")]),
        ("千家企业", [(1000, None, "家")]),
        ("万台设备", [(10000, None, "台")]),
        ("配备两名", [(2, None, "名")]),
        ("三十万元", [(30, None, "万元")]),
        ("每区4~6个", [(4, 6, "个")]),
        ("每区4～6个", [(4, 6, "个")]),
        ("每区4至6个", [(4, 6, "个")]),
        ("每区4-6个", [(4, 6, "个")]),
        ("每区3到5个", [(3, 5, "个")]),
        ("每区两到三个", [(2, 3, "个")]),
        ("占比3/4", [(0.75, None, "")]),
        ("占比３／４", [(0.75, None, "")]),
        ("三分之一", [(0.333333, None, "")]),
        ("百分之六十", [(60, None, "%")]),
        ("新增“零新增”", [(0, None, "")]),
        ("20余家", [(20, None, "家")]),
    ],
)
def test_numbers_as_written(written: str, expected: list[tuple[object, object, str]]) -> None:
    assert quantities(written) == expected


@pytest.mark.parametrize("written", ["ISO14001", "GB50016", "3个月", "8部门", "5G", "2021-2025年", "021-64231234"])
def test_no_counted_unit(written: str) -> None:
    assert all(unit == "" for _, _, unit in quantities(written))


@pytest.mark.parametrize(
    ("written", "value"),
    [("1,200", 1200), ("３．５", 3.5), ("十五", 15), ("两", 2), ("1/8", 0.125), ("四分之三", 0.75), ("百分之二十", 20)],
)
def test_parse_number(written: str, value: float) -> None:
    assert parse_number(fold(written)) == value


# --- targets in a section -------------------------------------------------------------------------------


def task_targets(body: str) -> list[Target]:
    """The targets of one numbered task item whose body is `body`."""
    text = f"三、重点任务\n1．示例任务。{body}\n"
    return [t for t in find_targets(text, fold(text), parse_sections(text, fold(text))) if not t.qualitative]


def goal_targets(opening: str, body: str) -> list[Target]:
    """The targets of a goal sub-section under a goals part that opens with `opening`."""
    text = f"二、发展目标\n{opening}\n（一）总体要求。{body}\n三、重点任务\n1．示例任务。加强管理。\n"
    return [t for t in find_targets(text, fold(text), parse_sections(text, fold(text))) if not t.qualitative]


def one(body: str) -> Target:
    found = task_targets(body)
    assert len(found) == 1, [(t.subject, t.value, t.unit) for t in found]
    return found[0]


@pytest.mark.parametrize(
    ("body", "comparator"),
    [
        ("全区森林覆盖率达到２５％。", ">="),
        ("垃圾回收利用率达３５％。", ">="),
        ("新建社区食堂３０家以上。", ">="),
        ("培训社区工作者不少于５００人次。", ">="),
        ("生活垃圾无害化处理率不低于９９％。", ">="),
        ("公交准点率稳定在９０％以上。", ">="),
        ("累计服务企业超过１０００家。", ">"),
        ("高新技术企业产值占比高于４０％。", ">"),
        ("建成绿道３００公里左右。", "~"),
        ("引进约５０个项目。", "~"),
        ("受理量较上年增长达到２０％左右。", "~"),
        ("建筑垃圾产生量控制在５０万吨以下。", "<="),
        ("空置率控制在５％以内。", "<="),
        ("平均办结时间不超过３个工作日。", "<="),
        ("投诉响应时间在３０分钟内。", "<="),
        ("单位能耗不超过０．５吨。", "<="),
        ("年均增速低于２％。", "<"),
        ("培育１０个农业品牌。", "="),
        ("新建口袋公园１２座。", "="),
    ],
)
def test_comparators(body: str, comparator: str) -> None:
    found = task_targets(body)
    assert [t.comparator for t in found] == [comparator], [(t.subject, t.value) for t in found]


@pytest.mark.parametrize(
    ("body", "value", "unit"),
    [
        ("新增养老床位８００张。", 800, "张"),
        ("建成示范项目１５项。", 15, "项"),
        ("完成投资４５亿元。", 45, "亿元"),
        ("安排资金３００万元用于更新。", 300, "万元"),
        ("经济总量突破１．２万亿元。", 1.2, "万亿元"),
        ("改造老旧小区２６万户。", 26, "万户"),
        ("接待游客１２０万人次。", 120, "万人次"),
        ("新增绿化面积２００万平方米。", 200, "万平方米"),
        ("资源化利用建筑垃圾５０万吨。", 50, "万吨"),
        ("更新公交车辆３００辆。", 300, "辆"),
    ],
)
def test_units_as_written(body: str, value: float, unit: str) -> None:
    t = one(body)
    assert (t.value, t.unit) == (value, unit)


def test_respectively_gives_one_subject_per_value() -> None:
    found = task_targets("城市、县城、乡镇污水处理率分别达到９８％、９５％、８０％。")
    assert [(t.subject, t.value, t.comparator) for t in found] == [
        ("城市污水处理率", 98, ">="), ("县城污水处理率", 95, ">="), ("乡镇污水处理率", 80, ">="),
    ]


def test_respectively_with_shared_tail() -> None:
    found = task_targets("能源管理体系、碳管理体系认证企业分别达到２００家、１２０家。")
    assert [(t.subject, t.value) for t in found] == [("能源管理体系认证企业", 200), ("碳管理体系认证企业", 120)]


def test_respectively_for_values_written_as_a_list() -> None:
    found = task_targets("公交、地铁、轮渡出行分担率分别为３０％、２５％、５％。")
    assert [(t.subject, t.value, t.comparator) for t in found] == [
        ("公交出行分担率", 30, "="), ("地铁出行分担率", 25, "="), ("轮渡出行分担率", 5, "="),
    ]


def test_list_sharing_one_verb() -> None:
    found = task_targets("拥有国家级孵化器１２家、省级孵化器４０家、众创空间９０个。")
    assert [(t.subject, t.value, t.unit, t.cumulative) for t in found] == [
        ("拥有国家级孵化器", 12, "家", True), ("拥有省级孵化器", 40, "家", True), ("拥有众创空间", 90, "个", True),
    ]


def test_list_of_counts_before_their_nouns() -> None:
    found = task_targets("建设５个区域物流中心、２０个镇级配送站和１００个村级服务点。")
    assert [(t.subject, t.value) for t in found] == [
        ("建设区域物流中心", 5), ("建设镇级配送站", 20), ("建设村级服务点", 100),
    ]


def test_chinese_numerals_after_a_verb_and_along_its_list() -> None:
    found = task_targets("实施“百千万”示范工程，打造十个特色街区，建设百家示范商户和千家放心店。")
    assert [(t.value, t.unit) for t in found] == [(10, "个"), (100, "家"), (1000, "家")]


def test_zero_growth_takes_its_unit_from_the_subject() -> None:
    t = one("实现中心城区燃煤锅炉用户“零新增”。")
    assert (t.value, t.unit, t.comparator) == (0, "户", "=")


def test_range_and_fraction() -> None:
    assert [(t.value, t.value_max, t.comparator) for t in task_targets("每个街道建设２～３个睦邻中心。")] == [
        (2, 3, "~")
    ]
    assert [(t.value, t.unit) for t in task_targets("本地企业占全市龙头企业的比重达到1/4。")] == [(0.25, "")]


def test_relative_measure_takes_the_previous_subject() -> None:
    found = task_targets("数字经济核心产业营业收入达到５００亿元，年均增长率１２％。")
    assert [(t.subject, t.per_year) for t in found] == [
        ("数字经济核心产业营业收入", False), ("数字经济核心产业营业收入年均增长率", True),
    ]


def test_threshold_inside_the_subject_is_not_the_target() -> None:
    t = one("年营业收入超亿元的物流企业超过２０家。")
    assert (t.value, t.unit, t.comparator) == (20, "家", ">")
    assert one("营业收入超过５０００万元的企业达到３０家。").value == 30


# --- years and flags ------------------------------------------------------------------------------------


def test_year_in_the_sentence() -> None:
    assert [t.year for t in task_targets("到２０２６年，建成智慧社区５０个。")] == [2026]
    assert [t.year for t in task_targets("2027年底前，完成危旧房改造３００户。")] == [2027]
    assert [t.year for t in task_targets("“十五五”期间完成管网改造２００公里。")] == [2030]


def test_task_without_a_year_in_its_sentence_has_none() -> None:
    assert [t.year for t in task_targets("到２０２６年，完善机制。新建停车泊位５００个。")] == [None]


def test_a_goals_part_opening_with_a_year_dates_its_goals() -> None:
    found = goal_targets("到２０３０年，全市生态环境明显改善。", "空气质量优良天数比率达到８５％。")
    assert [(t.year, t.owner) for t in found] == [(2030, "二/（一）")]


def test_a_start_year_is_no_target_year() -> None:
    found = goal_targets("２０２４年起三年内，全面推进。", "建成体育公园１０个。")
    assert [t.year for t in found] == [None]


def test_per_year_and_cumulative() -> None:
    assert one("每年开展应急演练不少于４次。").per_year
    assert one("累计建成海绵城市面积４０平方公里。").cumulative
    assert one("全市人才资源总量达到１２０万人。").cumulative
    assert not one("全市服务业增加值总量达到２０００亿元。").cumulative  # a flow, not a stock


# --- numbers that are not targets -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "2023年8月15日，市政府召开推进会。",  # a date
        "根据《关于加强城市管理的意见》（临府发〔２０２２〕８号）执行。",  # a document number
        "鼓励企业通过ISO14001和ISO45001体系认证。",  # standard codes
        "畅通12345热线和１２３１９热线。",  # hotlines
        "贯彻党的二十大和二十届三中全会精神，编制“十五五”规划。",  # ordinals and plan names
        "落实“三包”规定，推进六大重点产业发展，压实企业第一责任人责任。",  # names
        "实施“千村示范、万村整治”工程。",  # numerals inside a quoted name
        "5年内形成完善机制，补贴分2年拨付，连续3年开展评估。",  # durations
        "对35岁以下青年人才给予支持。",  # an age
        "对储存量超过50kg的，要依法责令整改。",  # a legal threshold
        "对间距小于３米的违规搭建，一律拆除的。",  # the condition of a rule
        "对新建充电桩给予每个２０００元补贴。",  # a subsidy amount
        "全市已建成社区食堂１２０家。",  # a fact, not a commitment
        "步行１５分钟范围内配置便民设施，站点５００米范围内设置停车点。",  # distances that bound a place
        "保洁频率提升至7天完成1次。",  # a frequency
        "比例上限由5%提高。",  # a baseline
        "打造“一核两带”空间格局。",  # a name
    ],
)
def test_non_targets_give_no_indicator(body: str) -> None:
    assert task_targets(body) == []


def test_targets_outside_goal_and_task_sections_are_ignored() -> None:
    text = "一、保障措施\n（一）加强资金保障。每年安排专项资金５０００万元。\n"
    assert find_targets(text, fold(text), parse_sections(text, fold(text))) == []


# --- the pipeline component -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def green(extract: Callable[[str], Extraction]) -> Extraction:
    return extract("indicators/green_travel.txt")


def test_component_fills_indicators_and_spans(green: Extraction) -> None:
    from policykg.extract.pipeline import COMPONENTS, build_pipeline, state

    assert COMPONENTS[-1] == "policykg_indicators"
    doc = build_pipeline()(green.text)
    spans = list(doc.spans["indicators"])
    assert len(spans) == len(state(doc).indicators) == len(green.indicators)
    for span, ind in zip(spans, green.indicators, strict=True):
        assert span.start_char <= ind.span[0] and ind.span[1] <= span.end_char
        assert span.label_ == (ind.comparator or "qualitative")


def test_component_records(green: Extraction) -> None:
    numeric = [i for i in green.indicators if i.value is not None]
    assert [i.id for i in green.indicators] == [f"I{n:02d}" for n in range(1, len(green.indicators) + 1)]
    for ind in green.indicators:
        assert green.text[ind.span[0]:ind.span[1]] == ind.text
    by_subject = {(i.owner, i.subject): i for i in numeric}
    share = by_subject[("二/（二）", "地铁出行分担率")]
    assert (share.value, share.unit, share.comparator, share.year) == (25, "%", ">=", 2025)
    deaths = by_subject[("二/（三）", "交通事故死亡人数")]
    assert (deaths.value, deaths.unit, deaths.comparator) == (120, "人", "<=")
    lanes = by_subject[("三/（一）/2", "新增公交专用道")]
    assert lanes.per_year and lanes.year is None
    assert not any(i.value in (60, 12345, 2) for i in numeric)  # 60千瓦的, the hotline, the subsidy


def test_component_links_and_audit(green: Extraction) -> None:
    by_id = {i.id: i for i in green.indicators}
    links = {(by_id[i.same_as].owner, i.owner) for i in green.indicators if i.same_as and i.owner.startswith("二")}
    assert links == {("三/（一）/1", "二/（一）"), ("三/（二）/4", "二/（一）"), ("三/（一）/2", "二")}
    for ind in green.indicators:
        if ind.same_as:
            assert by_id[ind.same_as].same_as == ind.id
    chargers = next(i for i in green.indicators if i.owner == "二/（一）" and i.value == 1200)
    parking = next(i for i in green.indicators if i.owner == "二/（一）" and i.value == 40)
    assert chargers.id not in green.unassigned  # restated in a task that names departments
    assert parking.id in green.unassigned  # restated only in a task nobody owns
    assert all(by_id[i].value is not None for i in green.unassigned)
    assert all(s.indicator in green.unassigned for s in green.suggestions)
