"""Hand-made extraction records for the graph tests (independent of the extractor's output), and the builder's
behaviour on them: IRIs, departments, responsibility, indicators, provenance."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import unquote

from rdflib import RDF, Graph, Literal, URIRef

from policykg.extract.records import (
    Department,
    DocumentMeta,
    Extraction,
    Indicator,
    OwnerSuggestion,
    Section,
    Task,
)
from policykg.graph import iris, vocab
from policykg.graph.build import build_documents, build_graph, document_iri, government_of
from policykg.graph.vocab import DCTERMS, OA, ORG, PKG, PROV, QB, SKOS

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "suzhou-2017-173.txt"

TEXT = (
    "苏州市人民政府办公室\n"
    "苏府办〔2099〕1号\n"
    "关于测试质量工作的意见\n"
    "一、发展目标\n"
    "（一）质量水平提升。到2020年，全市示范企业总数达到80家，抽查合格率分别稳定在90%和95%以上，建成质量强市。\n"
    "二、主要任务\n"
    "（一）质量提升工程\n"
    "1.实施提优行动。全市示范企业总数达到80家。（责任部门：市质监局、经信委，苏州出入境检验检疫局）\n"
    "2.推动技术创新。建设智能车间100个，质量指数0.5~1.5。\n"
    "三、保障措施\n"
    "加强组织领导。\n"
)


def span(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    at = text.index(needle, start)
    return at, at + len(needle)


def _section(path: str, kind: str, title: str, parent: str | None, heading: str, end: str | None, rank: int
             ) -> Section:
    start = TEXT.index(heading)
    stop = TEXT.index(end) if end else len(TEXT)
    h = span(TEXT, heading)
    return Section(path, kind, title, parent, (start, stop), h, span(TEXT, title, start), rank)


def sample_extraction(doc_number: str = "苏府办〔2099〕1号") -> Extraction:
    """A small document: a goal with three numeric and one qualitative target, a task with a clause that owns a
    restated target, a task without a clause, and a measure."""
    sections = [
        _section("一", "part", "发展目标", None, "一、发展目标", "二、主要任务", 1),
        _section("一/（一）", "goal", "质量水平提升", "一", "（一）质量水平提升", "二、主要任务", 2),
        _section("二", "part", "主要任务", None, "二、主要任务", "三、保障措施", 1),
        _section("二/（一）", "task_group", "质量提升工程", "二", "（一）质量提升工程", "三、保障措施", 2),
        _section("二/（一）/1", "task", "实施提优行动", "二/（一）", "1.实施提优行动", "2.推动技术创新", 3),
        _section("二/（一）/2", "task", "推动技术创新", "二/（一）", "2.推动技术创新", "三、保障措施", 3),
        _section("三", "measure", "保障措施", None, "三、保障措施", None, 1),
    ]
    clause = "（责任部门：市质监局、经信委，苏州出入境检验检疫局）"
    task1 = sections[4]
    tasks = [
        Task("二/（一）/1", "实施提优行动", "市质监局", ["市经信委", "苏州出入境检验检疫局"], clause, None,
             task1.span, span(TEXT, clause)),
        Task("二/（一）/2", "推动技术创新", None, [], None, None, sections[5].span, None),
    ]
    departments = [
        Department("市质监局", "苏州市质量技术监督局", ["质监局"], ["二/（一）/1"]),
        Department("市经信委", "苏州市经济和信息化委员会", ["经信委"], ["二/（一）/1"]),
        Department("苏州出入境检验检疫局", None, [], ["二/（一）/1"]),
    ]
    goal_start = sections[1].span[0]
    indicators = [
        Indicator("I01", "一/（一）", "示范企业总数", "全市示范企业总数达到80家", 80, None, "家", ">=", 2020,
                  True, False, False, "I04", span(TEXT, "全市示范企业总数达到80家", goal_start)),
        Indicator("I02", "一/（一）", "抽查合格率", "抽查合格率分别稳定在90%和95%以上", 90, None, "%", ">=", 2020,
                  False, False, False, None, span(TEXT, "抽查合格率分别稳定在90%和95%以上")),
        Indicator("I03", "一/（一）", "抽查合格率", "抽查合格率分别稳定在90%和95%以上", 95, None, "%", ">=", 2020,
                  False, False, False, None, span(TEXT, "抽查合格率分别稳定在90%和95%以上")),
        Indicator("I04", "二/（一）/1", "示范企业总数", "全市示范企业总数达到80家", 80, None, "家", ">=", None,
                  True, False, False, "I01", span(TEXT, "全市示范企业总数达到80家", task1.span[0])),
        Indicator("I05", "二/（一）/2", "智能车间", "建设智能车间100个", 100, None, "个", "=", None,
                  False, False, False, None, span(TEXT, "建设智能车间100个")),
        Indicator("I06", "一/（一）", "建成质量强市", "建成质量强市", None, None, None, None, 2020,
                  False, False, True, None, span(TEXT, "建成质量强市")),
        Indicator("I07", "二/（一）/2", "质量指数", "质量指数0.5~1.5", 0.5, 1.5, "", "~", None,
                  False, False, False, None, span(TEXT, "质量指数0.5~1.5")),
    ]
    return Extraction(
        source="sample.txt",
        text=TEXT,
        document=DocumentMeta(title="关于测试质量工作的意见", issuer="苏州市人民政府办公室", doc_number=doc_number,
                              published="2099-01-02", signed="2099-01-01", recipients=["各市、区人民政府"],
                              place="苏州市"),
        sections=sections,
        tasks=tasks,
        departments=departments,
        indicators=indicators,
        unassigned=["I02", "I03", "I05", "I07"],
        suggestions=[OwnerSuggestion("I05", "二/（一）/1", 0.4213, "市质监局")],
    )


@functools.cache
def example_extraction() -> Extraction:
    """The bundled example, extracted once per test session."""
    from policykg.extract import extract_file

    return extract_file(str(EXAMPLE))


@functools.cache
def example_graph() -> Graph:
    return build_graph(example_extraction())


def node(ex: Extraction, kind: str, key: str) -> URIRef:
    doc = document_iri(ex)
    return URIRef({"section": iris.section, "indicator": iris.indicator}[kind](doc, key))


# --- tests of the sample itself and of the builder on it ------------------------------------------------------


def test_sample_spans_point_at_their_text():
    ex = sample_extraction()
    for s in ex.sections:
        assert ex.text[s.heading_span[0]:s.heading_span[1]].endswith(s.title) or s.title in ex.text[slice(*s.span)]
    for i in ex.indicators:
        assert ex.text[i.span[0]:i.span[1]] == i.text


def test_iris_are_ascii_deterministic_and_document_local():
    ex = sample_extraction()
    g1, g2 = build_graph(ex), build_graph(sample_extraction())
    assert set(g1) == set(g2)
    doc = document_iri(ex)
    assert doc == "https://w3id.org/policykg/id/doc/" + iris.key("苏府办〔2099〕1号")
    for term in {t for triple in g1 for t in triple if isinstance(t, URIRef)}:
        text = str(term)
        assert text.isascii() and not any(c in text for c in ' <>"{}|\\^`'), text
        assert text.count("#") <= 1, text
    task = node(ex, "section", "二/（一）/1")
    assert str(task).startswith(doc + "/section/")
    assert unquote(str(task)[len(doc):]) == "/section/二/(一)/1"  # NFKC: （一） and (一) name one section
    assert node(ex, "section", "二/(一)/1") == task


def test_document_without_number_is_named_by_its_text():
    ex = sample_extraction(doc_number=None)
    assert document_iri(ex) == f"{iris.ID}doc/sha256-{iris.text_digest(TEXT)[:16]}"


def test_same_department_same_iri_in_every_document():
    a, b = sample_extraction(), sample_extraction("苏府办〔2099〕2号")
    assert document_iri(a) != document_iri(b)
    docs = build_documents([a, b])
    assert list(docs) == [document_iri(a), document_iri(b)]
    merged = Graph()
    for g in docs.values():
        merged += g
    zj = URIRef(iris.ID + "org/" + iris.key("苏州市质量技术监督局"))
    led = set(merged.subjects(PKG.leadDepartment, zj))
    assert led == {node(a, "section", "二/（一）/1"), node(b, "section", "二/（一）/1")}
    assert list(merged.objects(zj, SKOS.prefLabel)) == [Literal("苏州市质量技术监督局", lang="zh")]
    assert set(merged.objects(zj, SKOS.altLabel)) == {Literal("市质监局", lang="zh"), Literal("质监局", lang="zh")}


def test_departments_are_org_organizations_under_the_city_government():
    ex = sample_extraction()
    g = build_graph(ex)
    gov = URIRef(iris.ID + "org/" + iris.key("苏州市人民政府"))
    zj = URIRef(iris.ID + "org/" + iris.key("苏州市质量技术监督局"))
    assert (zj, RDF.type, ORG.Organization) in g
    assert (zj, ORG.subOrganizationOf, gov) in g
    assert (gov, SKOS.prefLabel, Literal("苏州市人民政府", lang="zh")) in g
    # no canonical name: named within its place, and a central agency is not under the city government
    ciq = URIRef(iris.ID + "org/" + iris.key("苏州市") + "/" + iris.key("苏州出入境检验检疫局"))
    assert (ciq, SKOS.prefLabel, Literal("苏州出入境检验检疫局", lang="zh")) in g
    assert (ciq, ORG.subOrganizationOf, None) not in g
    office = URIRef(iris.ID + "org/" + iris.key("苏州市人民政府办公室"))
    assert (URIRef(document_iri(ex)), DCTERMS.publisher, office) in g
    assert (office, ORG.subOrganizationOf, gov) in g


def test_government_of():
    assert government_of("苏州市", ["市质监局"]) == "苏州市人民政府"
    assert government_of("苏州市", ["苏州市经济和信息化委员会"]) == "苏州市人民政府"
    assert government_of("苏州市", ["市委宣传部"]) is None  # the party committee's, not the government's
    assert government_of("苏州市", ["市总工会"]) is None
    assert government_of("苏州市", ["苏州市人民政府"]) is None
    assert government_of("浦东新区", ["区建设局"]) == "浦东新区人民政府"
    assert government_of(None, ["市质监局"]) is None


def test_responsibility_is_qualified_and_shortcut():
    ex = sample_extraction()
    g = build_graph(ex)
    task = node(ex, "section", "二/（一）/1")
    lead = g.value(task, PKG.leadDepartment)
    assert str(lead).endswith(iris.key("苏州市质量技术监督局"))
    attributions = {a: (g.value(a, PROV.agent), g.value(a, PROV.hadRole), g.value(a, PKG.position).toPython(),
                        str(g.value(a, PKG.writtenAs))) for a in g.objects(task, PROV.qualifiedAttribution)}
    by_position = sorted(attributions.values(), key=lambda v: v[2])
    assert [(role, pos, name) for _, role, pos, name in by_position] == [
        (PKG.LeadRole, 0, "市质监局"), (PKG.CoRole, 1, "市经信委"), (PKG.CoRole, 2, "苏州出入境检验检疫局")]
    assert {agent for agent, role, _, _ in by_position if role == PKG.CoRole} == set(g.objects(task, PKG.coDepartment))
    clause = g.value(task, PKG.responsibilityClause)
    assert str(g.value(clause, RDF.value)) == "（责任部门：市质监局、经信委，苏州出入境检验检疫局）"
    free = node(ex, "section", "二/（一）/2")
    assert (free, RDF.type, PKG.Task) in g and g.value(free, PKG.leadDepartment) is None


def test_selectors_quote_the_source_text():
    ex = sample_extraction()
    g = build_graph(ex)
    checked = 0
    for target in g.objects(None, PKG.textSource):
        assert g.value(target, OA.hasSource) == URIRef(document_iri(ex))
        selectors = list(g.objects(target, OA.hasSelector))
        pos = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g)
        quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g)
        start, end = g.value(pos, OA.start).toPython(), g.value(pos, OA.end).toPython()
        assert str(g.value(quote, OA.exact)) == TEXT[start:end]
        assert TEXT[:start].endswith(str(g.value(quote, OA.prefix)))
        assert TEXT[end:].startswith(str(g.value(quote, OA.suffix)))
        checked += 1
    assert checked == 2 + 1 + 7  # two tasks, one clause, seven indicators


def test_indicators_are_observations_of_two_cubes():
    ex = sample_extraction()
    g = build_graph(ex)
    i01, i06, i07 = (node(ex, "indicator", i) for i in ("I01", "I06", "I07"))
    assert (i01, RDF.type, QB.Observation) in g and (i01, RDF.type, PKG.QuantitativeTarget) in g
    assert g.value(g.value(i01, QB.dataSet), QB.structure) == PKG.QuantitativeTargetStructure
    assert g.value(g.value(i06, QB.dataSet), QB.structure) == PKG.QualitativeTargetStructure
    assert g.value(i01, PKG.targetValue) == Literal(80)
    assert g.value(i01, PKG.comparator) == PKG.AtLeast
    assert g.value(i01, PKG.cumulative) == Literal(True)
    assert g.value(g.value(i01, PKG.targetPeriod), PKG.year) == Literal(2020)
    assert g.value(g.value(i01, PKG.targetPeriod), PKG.year).datatype == vocab.XSD.integer
    assert g.value(g.value(i01, PKG.unit), SKOS.notation) == Literal("家")
    assert (i01, PKG.sameTargetAs, node(ex, "indicator", "I04")) in g
    assert (node(ex, "indicator", "I04"), PKG.sameTargetAs, i01) in g
    assert g.value(i06, PKG.targetStatement) == Literal("建成质量强市")
    assert g.value(i06, PKG.targetValue) is None
    assert g.value(i07, PKG.targetValue) == Literal("0.5", datatype=vocab.XSD.decimal)
    assert g.value(i07, PKG.targetValueMax) == Literal("1.5", datatype=vocab.XSD.decimal)
    assert g.value(i07, PKG.unit) == URIRef(iris.ID + "unit/1")  # written without a unit
    assert g.value(node(ex, "indicator", "I04"), PKG.targetPeriod) == URIRef(iris.ID + "period/unspecified")
    # two values for one subject, section and year are items 1 and 2 of the cube
    items = [g.value(node(ex, "indicator", i), PKG.respectiveItem).toPython() for i in ("I02", "I03", "I01")]
    assert items == [1, 2, 1]
    suggestion = g.value(node(ex, "indicator", "I05"), PKG.suggestion)
    assert g.value(suggestion, PKG.suggestedTask) == node(ex, "section", "二/（一）/1")
    assert g.value(suggestion, PKG.score) == Literal("0.421", datatype=vocab.XSD.decimal)


def test_goals_form_a_skos_scheme():
    ex = sample_extraction()
    g = build_graph(ex)
    goal = node(ex, "section", "一/（一）")
    scheme = URIRef(iris.goal_scheme(document_iri(ex)))
    assert (goal, RDF.type, SKOS.Concept) in g and (goal, SKOS.inScheme, scheme) in g
    assert (scheme, SKOS.hasTopConcept, goal) in g
    assert g.value(goal, DCTERMS.isPartOf) == node(ex, "section", "一")
    assert (node(ex, "section", "一"), DCTERMS.hasPart, goal) in g
    assert g.value(node(ex, "section", "一"), DCTERMS.isPartOf) == URIRef(document_iri(ex))
