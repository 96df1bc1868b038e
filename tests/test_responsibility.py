"""Responsibility clause parsing on clause bodies written for the tests."""

from __future__ import annotations

import pytest

from policykg.extract.normalize import fold
from policykg.extract.responsibility import find_clauses, parse_units


def units(body: str, strict: bool = False) -> list[tuple[str, str]]:
    found, _ = parse_units(body, fold(body), 0, len(body), strict)
    return [(u.name, u.role) for u in found]


@pytest.mark.parametrize(("body", "expected"), [
    ("市发改委、经信委、科技局", [("市发改委", "lead"), ("市经信委", "co"), ("市科技局", "co")]),
    ("市质监局,市编办,市发改委、经信委", [("市质监局", "lead"), ("市编办", "co"), ("市发改委", "co"),
                                     ("市经信委", "co")]),
    ("区委组织部（区公务员局）、区民政局", [("区委组织部（区公务员局）", "lead"), ("区民政局", "co")]),
    ("市财政局、越秀区", [("市财政局", "lead"), ("越秀区", "co")]),
    ("市交通委、上海海事局", [("市交通委", "lead"), ("上海海事局", "co")]),
    ("区规划资源局、江宁路街道", [("区规划资源局", "lead"), ("江宁路街道", "co")]),
    ("市科委、同济大学", [("市科委", "lead"), ("同济大学", "co")]),
    ("市交通委科技信息处、港务监管处", [("市交通委科技信息处", "lead"), ("市交通委港务监管处", "co")]),
    ("市人社局，各区、县级市", [("市人社局", "lead"), ("各区、县级市", "co")]),
    ("各市、区人民政府，市各委办局", [("各市、区人民政府", "lead"), ("市各委办局", "co")]),
    ("区建管委、区房管局等建设主管部门", [("区建管委", "lead"), ("区房管局", "co")]),
])
def test_lists_expand_and_keep_order(body, expected):
    assert units(body) == expected


def test_role_words_mark_runs_and_the_lead_is_the_first_marked():
    assert units("配合单位：市财政局；牵头单位：市住建委") == [("市财政局", "co"), ("市住建委", "lead")]
    assert units("市应急局、市住建委牵头负责，各区政府组织落实") == [
        ("市应急局", "lead"), ("市住建委", "co"), ("各区政府", "co")]
    assert units("市公安局配合，市交通委牵头") == [("市公安局", "co"), ("市交通委", "lead")]


def test_strict_refuses_prose():
    assert units("列第一位者为牵头单位", strict=True) == []
    assert units("以下简称市工作专班", strict=True) == []


def test_deadline_inside_a_clause():
    body = "责任部门：市交通委。时间节点：2025年6月底前"
    found, deadline = parse_units(body, fold(body), 0, len(body), False)
    assert [u.name for u in found] == ["市交通委"]
    assert deadline == "2025年6月底前"


def test_clause_finder_skips_bracketed_prose_and_aliases():
    text = ("成立工作专班（以下简称市工作专班），由区委组织部（区公务员局）牵头。"
            "推进改造。（责任单位：市住建委、市财政局）\n")
    clauses = find_clauses(text, fold(text))
    assert [c.text for c in clauses] == ["（责任单位：市住建委、市财政局）"]
    assert clauses[0].lead == "市住建委" and clauses[0].co == ["市财政局"]
