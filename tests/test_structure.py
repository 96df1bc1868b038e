"""Heading hierarchy, titles and kinds on short texts written for the tests."""

from __future__ import annotations

from policykg.extract.normalize import fold
from policykg.extract.structure import parse_sections


def sections(text: str) -> dict[str, tuple[str, str]]:
    return {s.path: (s.kind, s.title) for s in parse_sections(text, fold(text))}


def test_kinds_follow_titles_ancestors_and_children():
    got = sections("一、总体要求\n（一）指导思想\n（二）工作目标\n到2025年，建成示范区。\n二、强化要素保障\n"
                   "（一）盘活房屋资源。\n（二）创新用地政策。\n1.试点先行。\n三、保障措施\n（一）加强组织领导。\n")
    assert got == {
        "一": ("part", "总体要求"),
        "一/（一）": ("part", "指导思想"),
        "一/（二）": ("goal", "工作目标"),
        "二": ("part", "强化要素保障"),
        "二/（一）": ("task", "盘活房屋资源"),
        "二/（二）": ("task_group", "创新用地政策"),
        "二/（二）/1": ("task", "试点先行"),
        "三": ("part", "保障措施"),
        "三/（一）": ("measure", "加强组织领导"),
    }


def test_titles_run_in_first_clause_date_and_colon():
    got = sections("一、主要任务\n1.实施提优行动。广泛推行认证，提高能力。\n"
                   "2.对未取得许可的企业，要依法责令关停。\n"
                   "3.2024年底前，完成全部老旧管道改造，确保安全。\n"
                   "4.组织排查：由各区牵头，开展排查。\n"
                   "5. “应改尽改，能改尽改”的原则有序推动改造；加强监管。\n")
    assert [t for _, t in got.values()][1:] == [
        "实施提优行动", "对未取得许可的企业", "完成全部老旧管道改造", "组织排查",
        "“应改尽改，能改尽改”的原则有序推动改造",
    ]


def test_numbering_variants_and_annexes():
    got = sections("一、任务\n（一）甲\n1、乙\n（1）丙\n①丁\n2.121人才项目\n二、其他\n"
                   "附件\n一、表一说明\n附件\n一、表二说明\n")
    assert list(got) == ["一", "一/（一）", "一/（一）/1", "一/（一）/1/（1）", "一/（一）/1/（1）/①", "一/（一）/2",
                         "二", "附件", "附件/一", "附件2", "附件2/一"]
    assert got["一/（一）/2"][1] == "121人才项目"


def test_decimals_and_dates_at_line_start_are_not_headings():
    got = sections("一、目标\n2.5万家企业完成改造。\n2023.9 启动\n12345热线\n")
    assert list(got) == ["一"]


def test_chapters_and_articles():
    got = sections("第一章 总则\n第一条 为规范管理，制定本办法。\n第二章 附则\n第二条 本办法自发布之日起施行。\n")
    assert got == {"第一章": ("part", "总则"), "第一章/第一条": ("measure", "为规范管理"),
                   "第二章": ("part", "附则"), "第二章/第二条": ("measure", "本办法自发布之日起施行")}
