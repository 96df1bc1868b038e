"""same_as links and the audit of indicators no department owns, on records written for the test."""

from __future__ import annotations

from policykg.extract.audit import (
    link_score,
    magnitude,
    same_as_pairs,
    suggest_owners,
    unassigned_indicators,
)
from policykg.extract.indicators import Target
from policykg.extract.records import Indicator, OwnerSuggestion, Task


def target(owner_kind: str, subject: str, value: float | None, unit: str | None = "个",
           year: int | None = None, value_max: float | None = None) -> Target:
    return Target(owner="x", owner_kind=owner_kind, subject=subject, span=(0, 1), value=value,
                  value_max=value_max, unit=unit if value is not None else None,
                  comparator="=" if value is not None else None, year=year)


def indicator(ident: str, owner: str, value: float | None, subject: str = "示范社区",
              same_as: str | None = None) -> Indicator:
    return Indicator(id=ident, owner=owner, subject=subject, text=subject, value=value, value_max=None,
                     unit="个" if value is not None else None, comparator="=" if value is not None else None,
                     year=None, cumulative=False, per_year=False, optional=value is None, same_as=same_as,
                     span=(0, 1))


def task(path: str, title: str, lead: str | None) -> Task:
    return Task(path=path, title=title, lead=lead, co=[], responsibility_text=None, deadline=None, span=(0, 0))


# --- same_as --------------------------------------------------------------------------------------------


def test_goal_target_restated_with_qualifiers_is_linked() -> None:
    targets = [
        target("goal", "培育具有国际影响力的会展品牌", 5),
        target("task", "培育具有自主知识产权、市场认可度高的国际影响力的会展品牌", 5),
    ]
    assert same_as_pairs(targets) == [(0, 1)]


def test_two_targets_that_merely_share_a_number_are_not_linked() -> None:
    targets = [target("goal", "建成社区体育公园", 20), target("task", "新建农贸市场标准化改造", 20)]
    assert same_as_pairs(targets) == []


def test_pairs_are_one_to_one_and_best_first() -> None:
    targets = [
        target("goal", "建设智慧停车场", 30),
        target("goal", "建设智慧公交站台", 30),
        target("task", "建设智慧公交站台", 30),
        target("task", "新建智慧停车场", 30),
    ]
    assert same_as_pairs(targets) == [(0, 3), (1, 2)]


def test_values_must_agree_in_magnitude() -> None:
    assert magnitude(1.2, "万亿元") == magnitude(12000, "亿元")
    assert link_score(target("goal", "全市服务业增加值", 1.2, "万亿元"),
                      target("task", "全市服务业增加值", 12000, "亿元")) is not None
    assert link_score(target("goal", "新建口袋公园", 12), target("task", "新建口袋公园", 12, "座")) is None
    assert link_score(target("goal", "新建口袋公园", 2, value_max=3),
                      target("task", "新建口袋公园", 2, value_max=4)) is None


def test_qualitative_targets_link_only_with_the_same_deadline() -> None:
    goal = target("goal", "建成覆盖城乡的公共文化服务体系", None, year=2027)
    same = target("task", "建成覆盖城乡的公共文化服务体系", None, year=2027)
    later = target("task", "建成覆盖城乡的公共文化服务体系", None, year=2030)
    assert same_as_pairs([goal, same]) == [(0, 1)]
    assert same_as_pairs([goal, later]) == []


def test_two_goals_or_two_tasks_are_never_linked() -> None:
    assert same_as_pairs([target("goal", "新建口袋公园", 12), target("goal", "新建口袋公园", 12)]) == []
    assert same_as_pairs([target("task", "新建口袋公园", 12), target("task", "新建口袋公园", 12)]) == []


# --- unassigned -----------------------------------------------------------------------------------------


def test_unassigned_indicators() -> None:
    indicators = [
        indicator("I01", "二/（一）", 10, same_as="I04"),  # restated in an owned task
        indicator("I02", "二/（一）", 20),  # a goal nobody restates
        indicator("I03", "二/（一）", None),  # qualitative: not audited
        indicator("I04", "三/1", 10, same_as="I01"),
        indicator("I05", "三/2", 30),  # a task without a responsibility clause
        indicator("I06", "二/（二）", 40, same_as="I07"),
        indicator("I07", "三/2", 40, same_as="I06"),  # restated, but in an unowned task
    ]
    assert unassigned_indicators(indicators, owned={"三/1"}) == ["I02", "I05", "I06", "I07"]


# --- suggestions ----------------------------------------------------------------------------------------


def test_suggestions_rank_owned_tasks_by_wording() -> None:
    text = "甲" * 10
    tasks = [
        task("三/1", "推进垃圾分类减量", "市绿化市容局"),
        task("三/2", "建设社区体育公园和健身步道", "市体育局"),
        task("三/3", "完善社区健身设施", "市体育局"),
        task("三/4", "建设社区体育公园", None),  # owns nothing: never suggested
    ]
    indicators = [indicator("I01", "二/（一）", 50, subject="新建社区体育公园")]
    found = suggest_owners(text, indicators, ["I01"], tasks)
    assert all(isinstance(s, OwnerSuggestion) for s in found)
    assert [s.task for s in found] == ["三/2", "三/3"]
    assert found[0].lead == "市体育局"
    assert found[0].score > found[1].score


def test_suggestions_keep_three_and_break_ties_by_reading_order() -> None:
    tasks = [task(f"三/{n}", "建设社区体育公园", "市体育局") for n in range(1, 6)]
    indicators = [indicator("I01", "二/（一）", 50, subject="社区体育公园")]
    found = suggest_owners("", indicators, ["I01"], tasks)
    assert [s.task for s in found] == ["三/1", "三/2", "三/3"]


def test_no_suggestions_without_owned_tasks() -> None:
    indicators = [indicator("I01", "二/（一）", 50)]
    assert suggest_owners("", indicators, ["I01"], [task("三/1", "示范社区建设", None)]) == []
