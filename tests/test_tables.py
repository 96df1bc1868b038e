from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from policykg.extract.tables import TableRow, TaskTable, find_task_tables

SHARED = Path(__file__).resolve().parents[2] / "shared"
WILD = SHARED / "wild"
CORPUS = SHARED / "corpus"


def at(text: str, cell: str, nth: int = 0) -> tuple[int, int]:
    """Span of the nth occurrence of ``cell`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(cell, start + 1)
    return start, start + len(cell)


def only_table(text: str) -> TaskTable:
    tables = find_task_tables(text)
    assert len(tables) == 1
    return tables[0]


def assert_verbatim(text: str, table: TaskTable) -> None:
    """Every cell string is the input at its span, and rows follow each other inside the table."""
    previous_end = table.span[0]
    for row in table.rows:
        assert text[row.task_span[0] : row.task_span[1]] == row.task
        for cell, span in ((row.lead_cell, row.lead_span), (row.co_cell, row.co_span),
                           (row.deadline, row.deadline_span)):
            assert (cell is None) == (span is None)
            if span is not None:
                assert text[span[0] : span[1]] == cell
        for extra in row.extra:
            assert text[extra.span[0] : extra.span[1]] == extra.text
        assert previous_end <= row.span[0] <= row.task_span[0] < row.task_span[1] <= row.span[1]
        previous_end = row.span[1]
    assert previous_end == table.span[1]


def cells(row: TableRow) -> tuple[str, str, str | None, str | None, str | None, bool]:
    return row.number, row.task, row.lead_cell, row.co_cell, row.deadline, row.inherited


# --- one cell per line, no blank lines ----------------------------------------------------------------

LINE_PER_CELL = """附件
重点任务分工表
序号
工作任务
牵头单位
配合单位
完成时限
1
建立联席会议制度
区发展改革委
区财政局、区商务委
2024年底前
2
编制专项规划
区规划资源局
——
2024年6月
3
开展专项督查
区政府办公室
长期
二、保障措施
各单位要加强组织领导。
"""


def test_line_per_cell_table() -> None:
    text = LINE_PER_CELL
    table = only_table(text)
    assert table.columns == ["number", "task", "lead", "co", "deadline"]
    assert table.header_cells == ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
    assert table.span == (text.index("序号"), text.index("长期") + 2)
    assert [cells(row) for row in table.rows] == [
        ("1", "建立联席会议制度", "区发展改革委", "区财政局、区商务委", "2024年底前", False),
        ("2", "编制专项规划", "区规划资源局", None, "2024年6月", False),
        ("3", "开展专项督查", "区政府办公室", None, "长期", False),
    ]
    first, second, third = table.rows
    assert first.task_span == at(text, "建立联席会议制度")
    assert first.lead_span == at(text, "区发展改革委")
    assert first.co_span == at(text, "区财政局、区商务委")
    assert first.deadline_span == at(text, "2024年底前")
    assert first.span == (at(text, "1\n建立")[0], at(text, "2024年底前")[1])
    assert second.co_span is None  # the —— cell is empty, not missing
    assert third.deadline_span == at(text, "长期")  # fewer cells: the date-like one is the deadline
    assert_verbatim(text, table)


# --- blank lines between cells, a repeated header, a merged cell, an annex after the table ---------

BLANK_SEPARATED = (
    "序号\n\n工作任务\n\n责任单位\n\n完成时间\n\n"
    "1\n\n加强宣传引导\n\n区委宣传部、\n\n区融媒体中心\n\n持续推进\n\n"
    "2\n\n开展业务培训\n\n"
    "3\n\n建立考核机制\n\n区考核办\n\n2024年12月\n\n"
    "序号\n\n工作任务\n\n责任单位\n\n完成时间\n\n"
    "4\n\n完善信息平台\n\n区大数据中心\n\n2025年\n\n"
    "附件2\n\n统计表\n"
)


def test_blank_separated_cells_with_repeated_header_and_merged_cell() -> None:
    text = BLANK_SEPARATED
    table = only_table(text)
    assert table.columns == ["number", "task", "lead", "deadline"]
    assert [cells(row) for row in table.rows] == [
        ("1", "加强宣传引导", "区委宣传部、\n\n区融媒体中心", None, "持续推进", False),
        ("2", "开展业务培训", "区委宣传部、\n\n区融媒体中心", None, "持续推进", True),
        ("3", "建立考核机制", "区考核办", None, "2024年12月", False),
        ("4", "完善信息平台", "区大数据中心", None, "2025年", False),
    ]
    first, merged = table.rows[0], table.rows[1]
    # a unit list broken after 、 is one cell; the merged row points at the cell of the row above
    assert first.lead_span == (text.index("区委宣传部"), at(text, "区融媒体中心")[1])
    assert merged.lead_span == first.lead_span
    assert merged.span == (at(text, "2\n\n开展")[0], at(text, "开展业务培训")[1])
    assert table.span[1] == at(text, "2025年")[1]  # 附件2 ends the table
    assert_verbatim(text, table)


# --- header cells split over two lines, prose after the last row -------------------------------------

SPLIT_HEADER = """序号
主要任务
牵头
部门
配合
部门
时间节点
1
完善标准体系，修订相关规范
市住房城乡建设管理委
市市场监管局
2025年
2
推进试点示范
各区政府
2025年6月
各单位要按照职责分工，认真抓好落实，确保各项任务按期完成，并及时报送工作进展情况和存在问题。
"""


def test_split_header_cells_and_prose_after_the_table() -> None:
    text = SPLIT_HEADER
    table = only_table(text)
    assert table.columns == ["number", "task", "lead", "co", "deadline"]
    assert table.header_cells == ["序号", "主要任务", "牵头\n部门", "配合\n部门", "时间节点"]
    assert [cells(row) for row in table.rows] == [
        ("1", "完善标准体系，修订相关规范", "市住房城乡建设管理委", "市市场监管局", "2025年", False),
        ("2", "推进试点示范", "各区政府", None, "2025年6月", False),
    ]
    assert table.span[1] == at(text, "2025年6月")[1]
    assert_verbatim(text, table)


# --- a category column before 序号, group rows, merged unit cells ------------------------------------

CATEGORY_BEFORE_NUMBER = """附件

任务类型

序号

工作任务

推进单位

行动一：再造发展新极

1

推进东斯文里区域整体更新

区规划资源局、区建设管理委

2

推进走马塘片区规划研究

区规划资源局

行动二：重塑美丽新居

旧区改造

3

完成零星旧里改造

区房管局、各相关街镇

旧住房更新

4

推进小梁薄板房屋成套改造

5

完成既有多层住宅加装电梯700台
"""


def test_category_column_before_number_and_merged_units() -> None:
    text = CATEGORY_BEFORE_NUMBER
    table = only_table(text)
    assert table.columns == ["category", "number", "task", "lead"]
    assert [cells(row) for row in table.rows] == [
        ("1", "推进东斯文里区域整体更新", "区规划资源局、区建设管理委", None, None, False),
        ("2", "推进走马塘片区规划研究", "区规划资源局", None, None, False),
        ("3", "完成零星旧里改造", "区房管局、各相关街镇", None, None, False),
        ("4", "推进小梁薄板房屋成套改造", "区房管局、各相关街镇", None, None, True),
        ("5", "完成既有多层住宅加装电梯700台", "区房管局、各相关街镇", None, None, True),
    ]
    rows = table.rows
    assert rows[0].extra == []  # 行动一 is a full-width group row, not a 任务类型 cell
    category = rows[2].extra
    assert [(c.text, c.span, c.inherited) for c in category] == [("旧区改造", at(text, "旧区改造"), False)]
    assert [(c.text, c.inherited) for c in rows[3].extra] == [("旧住房更新", False)]
    assert [(c.text, c.inherited) for c in rows[4].extra] == [("旧住房更新", True)]
    assert rows[3].span == (at(text, "旧住房更新")[0], at(text, "推进小梁薄板房屋成套改造")[1])
    assert rows[4].lead_span == at(text, "区房管局、各相关街镇")
    assert_verbatim(text, table)


# --- extra columns: a category shown once per group, a detail column, 备注 with / -----------------

EXTRA_COLUMNS = """序号
分类
工作任务
具体内容
责任单位
完成时限
备注
1
体制机制
健全协调机制
建立联席会议，每季度召开一次
区发展改革委
2024年6月底前
/
2
完善考核办法
将任务完成情况纳入年度考核
区考核办
2024年底前
需市级支持
3
项目建设
推进示范项目
建成3个示范点
区建设管理委、各街镇
2025年
/
"""


def test_extra_columns() -> None:
    text = EXTRA_COLUMNS
    table = only_table(text)
    assert table.columns == ["number", "category", "task", "detail", "lead", "deadline", "note"]
    assert [cells(row) for row in table.rows] == [
        ("1", "健全协调机制", "区发展改革委", None, "2024年6月底前", False),
        ("2", "完善考核办法", "区考核办", None, "2024年底前", False),
        ("3", "推进示范项目", "区建设管理委、各街镇", None, "2025年", False),
    ]
    extras = [[(c.role, c.text, c.inherited) for c in row.extra] for row in table.rows]
    assert extras == [
        [("category", "体制机制", False), ("detail", "建立联席会议，每季度召开一次", False)],
        [("category", "体制机制", True), ("detail", "将任务完成情况纳入年度考核", False),
         ("note", "需市级支持", False)],
        [("category", "项目建设", False), ("detail", "建成3个示范点", False)],
    ]
    assert table.span[1] == len(text.rstrip())  # the trailing / cell belongs to the last row
    assert_verbatim(text, table)


# --- full-width and half-width punctuation ------------------------------------------------------------

MIXED_PUNCTUATION = """重点任务分工表
序号：
重点任务：
牵头单位（部门）
配合单位（部门）
完成时间
１
制定实施细则（含配套文件）
市发展改革委,市财政局
市经济信息化委;市商务委
２０２４年９月
２
开展“回头看”检查
市市场监管局
—
持续推进
"""


def test_full_width_and_half_width_punctuation() -> None:
    text = MIXED_PUNCTUATION
    table = only_table(text)
    assert table.columns == ["number", "task", "lead", "co", "deadline"]
    assert table.header_cells == ["序号：", "重点任务：", "牵头单位（部门）", "配合单位（部门）", "完成时间"]
    assert [cells(row) for row in table.rows] == [
        ("１", "制定实施细则（含配套文件）", "市发展改革委,市财政局", "市经济信息化委;市商务委",
         "２０２４年９月", False),
        ("２", "开展“回头看”检查", "市市场监管局", None, "持续推进", False),
    ]
    assert table.rows[1].span == (at(text, "２\n开展")[0], at(text, "持续推进")[1])
    assert_verbatim(text, table)


MULTI_LINE_CELLS = """序号
工作任务
责任单位
完成时限
1
推进轨道交通场站光伏建设，新建车站屋顶
光伏覆盖面积达到50%
申通地铁
集团
2025年底前
2
推进机场光伏建设
机场集团、各航空
公司
2025年
"""


def test_cells_wrapped_over_lines_without_blank_lines() -> None:
    text = MULTI_LINE_CELLS
    table = only_table(text)
    assert [cells(row) for row in table.rows] == [
        ("1", "推进轨道交通场站光伏建设，新建车站屋顶\n光伏覆盖面积达到50%", "申通地铁\n集团", None,
         "2025年底前", False),
        ("2", "推进机场光伏建设", "机场集团、各航空\n公司", None, "2025年", False),
    ]
    assert table.rows[0].lead_span == (text.index("申通地铁"), at(text, "集团")[1])
    assert_verbatim(text, table)


def test_two_annex_tables_with_the_same_header() -> None:
    text = (
        "附件1\n序号\n工作任务\n牵头单位\n1\n推进垃圾分类\n区绿化市容局\n2\n推进源头减量\n区商务委\n"
        "附件2\n序号\n工作任务\n牵头单位\n1\n开展执法检查\n区城管执法局\n"
    )
    first, second = find_task_tables(text)
    assert [(row.number, row.task, row.lead_cell) for row in first.rows] == [
        ("1", "推进垃圾分类", "区绿化市容局"), ("2", "推进源头减量", "区商务委")]
    assert [(row.number, row.task, row.lead_cell) for row in second.rows] == [
        ("1", "开展执法检查", "区城管执法局")]
    assert first.span == (at(text, "序号")[0], at(text, "区商务委")[1])
    assert second.span == (at(text, "序号", 1)[0], len(text) - 1)


def test_windows_line_ends_and_ideographic_spaces_keep_offsets() -> None:
    text = "\u3000序号\r\n\u3000工作任务\r\n责任部门\r\n1\r\n  推进垃圾分类\u3000\r\n区绿化市容局\r\n"
    table = only_table(text)
    (row,) = table.rows
    assert (row.number, row.task, row.lead_cell) == ("1", "推进垃圾分类", "区绿化市容局")
    assert row.task_span == at(text, "推进垃圾分类")
    assert table.span == (at(text, "序号")[0], at(text, "区绿化市容局")[1])


# --- tables without 序号 --------------------------------------------------------------------------

UNNUMBERED = (
    "类别\n\n项目\n\n主要任务\n\n牵头单位\n\n配合单位\n\n"
    "一、做好政策保障\n\n1.做好规划配套\n\n将消防规划与专项规划同步实施，落实控制要求。\n\n"
    "区消防救援支队\n\n区应急局、区规划资源局\n\n"
    "贯彻执行本市检查指引，指导街道细化检查要求。\n\n区消防救援支队\n\n各街道、\n相关委、办、局\n\n"
    "二、推进组织建设\n\n2.设立消防安全\n管理办公室\n\n各街道消防安全委员会下设办公室，承担日常工作。\n\n"
    "区委编办\n\n区消防救援支队\n\n"
    "健全完善政府专职消防队配套规章制度，定期组织达标考核。\n\n"
    "指导街道充分发挥多种形式消防队伍作用，统筹开展防火巡查。\n"
)


def test_table_without_number_column_rows_end_with_unit_cells() -> None:
    text = UNNUMBERED
    table = only_table(text)
    assert table.columns == ["category", "category", "task", "lead", "co"]
    assert [cells(row) for row in table.rows] == [
        ("1", "将消防规划与专项规划同步实施，落实控制要求。", "区消防救援支队", "区应急局、区规划资源局",
         None, False),
        ("2", "贯彻执行本市检查指引，指导街道细化检查要求。", "区消防救援支队", "各街道、\n相关委、办、局",
         None, False),
        ("3", "各街道消防安全委员会下设办公室，承担日常工作。", "区委编办", "区消防救援支队", None, False),
        ("4", "健全完善政府专职消防队配套规章制度，定期组织达标考核。", "区委编办", "区消防救援支队", None,
         True),
        ("5", "指导街道充分发挥多种形式消防队伍作用，统筹开展防火巡查。", "区委编办", "区消防救援支队",
         None, True),
    ]
    categories = [[(c.text, c.inherited) for c in row.extra] for row in table.rows]
    assert categories[0] == [("一、做好政策保障", False), ("1.做好规划配套", False)]
    assert categories[1] == [("一、做好政策保障", True), ("1.做好规划配套", True)]
    assert categories[2] == [("二、推进组织建设", False), ("2.设立消防安全\n管理办公室", False)]
    assert table.rows[4].lead_span == at(text, "区委编办")
    assert_verbatim(text, table)


NUMBERED_TASK_CELLS = (
    "任务\n\n分类\n\n重点任务\n\n2024年计划\n\n2025年计划\n\n牵头\n\n部门\n\n配合\n\n部门\n\n"
    "（一）\n\n提升设施品质\n\n（1）建设精品道路300条。\n\n建设精品道路100条。\n\n建设精品道路200条。\n\n"
    "设施养护处\n\n各相关部门和单位\n\n"
    "（2）建设慢行交通精品区域50个。\n\n建设精品区17个。\n\n建设精品区33个。\n\n"
    "（二）提升服务体验\n\n（3）更新投运无障碍公交车1200辆。\n\n投运600辆。\n\n投运600辆。\n\n"
    "客运处\n\n久事集团\n"
)


def test_table_without_number_column_and_numbered_task_cells() -> None:
    text = NUMBERED_TASK_CELLS
    table = only_table(text)
    assert table.columns == ["category", "task", "plan", "plan", "lead", "co"]
    assert table.header_cells[0] == "任务\n\n分类"
    assert [cells(row) for row in table.rows] == [
        ("1", "（1）建设精品道路300条。", "设施养护处", "各相关部门和单位", None, False),
        ("2", "（2）建设慢行交通精品区域50个。", "设施养护处", "各相关部门和单位", None, True),
        ("3", "（3）更新投运无障碍公交车1200辆。", "客运处", "久事集团", None, False),
    ]
    first, second, third = ([(c.role, c.text, c.inherited) for c in row.extra] for row in table.rows)
    assert first == [("category", "（一）\n\n提升设施品质", False), ("plan", "建设精品道路100条。", False),
                     ("plan", "建设精品道路200条。", False)]
    assert second[0] == ("category", "（一）\n\n提升设施品质", True)
    assert third[0] == ("category", "（二）提升服务体验", False)
    assert_verbatim(text, table)


# --- no table where there is no header, and no crash on garbage --------------------------------------


def test_inline_clauses_and_prose_are_not_tables() -> None:
    prose = (
        "一、主要任务\n"
        "1.完善标准体系。修订相关规范。（牵头单位：市发展改革委，配合单位：市财政局；完成时限：2024年底）\n"
        "2.推进试点示范。（责任单位：各区政府）\n"
        "序号\n"
    )
    assert find_task_tables(prose) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "序号\n工作任务\n牵头单位\n配合单位\n",  # header only
        "序号\n工作任务\n牵头单位\n各单位要加强组织领导，认真抓好落实。\n二、保障措施\n",  # header then prose
        "序号\n工作任务\n牵头单位\n1\n2\n3\n",  # rows without cells
        "工作任务\n牵头单位\n推进任务\n",  # no 序号 and no unit cell
        "\n".join(str(i % 1000) for i in range(10_000)),
        "序号\n工作任务\n牵头单位\n" + "\n".join(str(i) for i in range(1, 10_001)),
        "序号\n工作任务\n牵头单位\n" * 3_000,
    ],
)
def test_garbage_gives_no_table(text: str) -> None:
    assert find_task_tables(text) == []


def test_random_input_never_crashes() -> None:
    rng = random.Random(20240601)
    alphabet = list("序号工作任务牵头配合单位部门完成时限区局委办街镇1234567890—/、，。（）()：: \n\n\n")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        for table in find_task_tables(text):
            assert_verbatim(text, table)


def test_large_input_is_read_in_linear_time() -> None:
    rows = "".join(f"{i}\n推进第{i}项任务\n区绿化市容局\n各街镇\n2025年\n" for i in range(1, 3_001))
    text = "序号\n工作任务\n牵头单位\n配合单位\n完成时限\n" + rows
    started = time.perf_counter()
    (table,) = find_task_tables(text)
    assert len(table.rows) == 3_000
    assert time.perf_counter() - started < 10


# --- real documents -----------------------------------------------------------------------------------


def test_corpus_documents_have_no_table() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is missing")
    documents = sorted(CORPUS.glob("*.txt"))
    assert len(documents) == 3
    for path in documents:
        assert find_task_tables(path.read_text(encoding="utf-8")) == [], path.name


# rows counted by reading each file; the other wild documents carry no task table
WILD_TABLES = {
    "05-jingan-zhuoyue-chengqu-chengshi-gengxin-xingdong-fangan.txt": [27],
    "19-baoshan-shenghuo-laji-quancheng-fenlei-shishi-fangan.txt": [39],
    "20-shanghai-jiaotong-lingyu-guangfu-tuiguang-shishi-fangan.txt": [48],
    "21-jiading-haimian-chengshi-quanyu-tuijin-shishi-fangan.txt": [12],
    "30-shanghai-jiaotong-lingyu-jingxihua-guanli-sannian-xingdong-jihua.txt": [35],
    "39-yangpu-jiceng-xiaofang-anquan-zonghe-zhili-shishi-yijian.txt": [19],
}


@pytest.fixture(scope="module")
def wild() -> dict[str, tuple[str, list[TaskTable]]]:
    if not WILD.is_dir():
        pytest.skip(f"{WILD} is missing")
    found = {}
    for path in sorted(WILD.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found[path.name] = (text, find_task_tables(text))
    return found


def test_wild_documents_row_counts(wild: dict[str, tuple[str, list[TaskTable]]]) -> None:
    counts = {name: [len(t.rows) for t in tables] for name, (_, tables) in wild.items() if tables}
    assert counts == WILD_TABLES
    for text, tables in wild.values():
        for table in tables:
            assert_verbatim(text, table)
            assert [row.number for row in table.rows] == [str(n) for n in range(1, len(table.rows) + 1)]


def test_wild_baoshan_annex_table(wild: dict[str, tuple[str, list[TaskTable]]]) -> None:
    _, (table,) = wild["19-baoshan-shenghuo-laji-quancheng-fenlei-shishi-fangan.txt"]
    assert table.columns == ["number", "category", "task", "lead", "co", "deadline"]
    first, ninth = table.rows[0], table.rows[8]
    task = "召开全区生活垃圾分类工作动员大会。建立区生活垃圾分类减量联席会议制度、建立联络员网络。"
    assert cells(first) == ("1", task, "区政府办公室", "各联席会议成员单位", "2019年3月", False)
    assert ninth.co_cell == "区绿化市容局、\n\n区农业农村委"
    assert table.rows[-1].task.startswith("开展单位、公共机构的分类投放管理责任人")


def test_wild_merged_and_repeated_cells(wild: dict[str, tuple[str, list[TaskTable]]]) -> None:
    _, (photovoltaic,) = wild["20-shanghai-jiaotong-lingyu-guangfu-tuiguang-shishi-fangan.txt"]
    second = photovoltaic.rows[1]
    assert (second.lead_cell, second.inherited) == ("申通地铁集团", True)
    assert [(c.text, c.inherited) for c in second.extra] == [("“光伏+地铁”工程", True)]

    _, (sponge,) = wild["21-jiading-haimian-chengshi-quanyu-tuijin-shishi-fangan.txt"]
    seventh = sponge.rows[6]  # right after the header repeated at a page break
    assert seventh.lead_cell == "区绿化市容局、区水务局、\n区规划资源局，各街镇"
    assert seventh.task.startswith("公园绿化项目需落实“海绵公园”设计理念")

    _, (transport,) = wild["30-shanghai-jiaotong-lingyu-jingxihua-guanli-sannian-xingdong-jihua.txt"]
    seventh = transport.rows[6]
    assert (seventh.task, seventh.lead_cell, seventh.co_cell) == (
        "（7）推进内环高架“年轻化”工程。", "设施养护处", "市交通委（计划财务处）")
