"""Small documents written for the tests, one per layout and responsibility style."""

from __future__ import annotations


def _task(extraction, path):
    return next(t for t in extraction.tasks if t.path == path)


def test_full_width_inline_clauses_and_bare_metadata(extract):
    ex = extract("inline_fullwidth.txt")
    assert ex.document.title == "示例市人民政府办公室关于印发示例市推进质量提升行动方案的通知"
    assert ex.document.doc_number == "示府办〔2024〕12号"
    assert ex.document.issuer == "示例市人民政府办公室"
    assert ex.document.signed == "2024-03-05"
    assert ex.document.recipients == ["各区人民政府", "市政府各委、办、局"]
    paths = [s.path for s in ex.sections]
    assert paths == ["一", "二", "二/（一）", "二/（一）/1", "二/（一）/2", "二/（二）", "二/（二）/3",
                     "二/（二）/4", "三", "三/（一）"]
    kinds = {s.path: s.kind for s in ex.sections}
    assert kinds["一"] == "goal" and kinds["二/（一）"] == "task_group" and kinds["二/（一）/1"] == "task"
    assert kinds["三/（一）"] == "measure"
    t1 = _task(ex, "二/（一）/1")
    assert t1.title == "完善标准体系"
    assert (t1.lead, t1.co) == ("市市场监管局", ["市发展改革委", "市科委"])
    assert t1.responsibility_text == "（责任单位：市市场监管局、发展改革委，市科委）"
    assert t1.deadline == "2025年底前"
    t2 = _task(ex, "二/（一）/2")
    assert (t2.lead, t2.co) == ("市市场监管局", ["市财政局", "各区政府"])
    t3 = _task(ex, "二/（二）/3")
    assert (t3.lead, t3.co) == ("市公安局", ["市市场监管局", "市商务委"])
    t4 = _task(ex, "二/（二）/4")
    assert (t4.lead, t4.co) == ("市市场监管局", ["各区政府"])
    depts = {d.name: d for d in ex.departments}
    assert depts["市发展改革委"].aliases == ["发展改革委"]
    assert depts["各区政府"].collective is True
    assert depts["市市场监管局"].mentioned_in == ["二/（一）/1", "二/（一）/2", "二/（二）/3", "二/（二）/4"]


def test_spans_point_at_the_text(extract):
    ex = extract("inline_fullwidth.txt")
    for t in ex.tasks:
        s, e = t.responsibility_span
        assert ex.text[s:e] == t.responsibility_text
    for s in ex.sections:
        assert ex.text[s.title_span[0]:s.title_span[1]] == s.title
        assert s.span[0] <= s.title_span[0] <= s.title_span[1] <= s.span[1]


def test_label_lines_and_duty_headings(extract):
    ex = extract("label_lines.txt")
    t = _task(ex, "一/（一）")
    assert (t.lead, t.co) == ("区绿化市容局", ["区建管委", "区规划资源局", "各街镇"])
    assert t.responsibility_text == "牵头单位：区绿化市容局\n配合单位：区建管委、区规划资源局，各街镇"
    t = _task(ex, "一/（二）")
    assert (t.lead, t.co, t.deadline) == ("区绿化市容局", ["区财政局"], "2025年12月")
    duty = _task(ex, "二/（一）")
    assert (duty.lead, duty.co, duty.responsibility_text) == ("区建管委", [], "区建管委")
    duty = _task(ex, "二/（二）")
    assert (duty.lead, duty.co) == ("区财政局", ["区审计局"])


def test_chapter_and_article_documents(extract):
    ex = extract("chapters.txt")
    paths = [s.path for s in ex.sections]
    assert paths[:3] == ["第一章", "第一章/第一条", "第一章/第二条"]
    assert "第二章/第三条" in paths
    t = _task(ex, "第二章/第三条")
    assert (t.lead, t.co) == ("市交通委", ["市公安局"])
    assert _task(ex, "第一章/第二条").lead == "市住房城乡建设管理委"


def test_first_listed_is_lead_and_prefix_distributes(extract):
    ex = extract("note_first_listed.txt")
    t = _task(ex, "一/1")
    assert (t.lead, t.co) == ("县住建局", ["县应急局", "县市场监管局", "各乡镇人民政府"])
    t = _task(ex, "一/2")
    assert (t.lead, t.co) == ("县市场监管局", ["县公安局"])
    t = _task(ex, "一/3")
    assert t.title == "11项重点工作"
    assert t.lead == "各有关部门"
    assert not any(t.responsibility_text == "（列第一位者为牵头单位）" for t in ex.tasks)


def test_unnumbered_duty_paragraphs_become_department_tasks(extract):
    ex = extract("duty_paragraphs.txt")
    duty = [t for t in ex.tasks if t.path.startswith("二/")]
    assert [(t.path, t.lead) for t in duty] == [
        ("二/区民防办", "区民防办"),
        ("二/区应急管理局", "区应急管理局"),
        ("二/区财政局", "区财政局"),
    ]
    assert all(t.co == [] for t in duty)
    assert _task(ex, "二/区应急管理局").responsibility_text == "区应急管理局"


def test_items_under_a_department_heading_inherit_it(extract):
    ex = extract("hongkou_style_duties.txt")
    leads = {t.path: t.lead for t in ex.tasks}
    assert leads == {"一/（一）": "区绿化市容局", "一/（一）/1": "区绿化市容局", "一/（一）/2": "区绿化市容局",
                     "一/（二）": "各街道办事处", "一/（二）/1": "各街道办事处"}


def test_flattened_task_table_rows_become_tasks(extract):
    ex = extract("task_table.txt")
    rows = [t for t in ex.tasks if t.path.startswith("附件/")]
    assert [(t.path, t.title, t.lead, t.co, t.deadline) for t in rows] == [
        ("附件/1", "召开全区动员大会", "区政府办公室", ["各成员单位"], "2024年3月"),
        ("附件/2", "将垃圾分类纳入绩效评价体系", "区委组织部（区公务员局）", [], "2024年底前"),
        ("附件/3", "完善街镇联席会议制度", "区绿化市容局", ["区财政局", "各街镇"], "2025年6月"),
    ]
    assert rows[1].responsibility_text == "区委组织部（区公务员局）"
