"""Extraction records -> rdflib graph, following ontology/qb.ttl.

Every node is an IRI from graph/iris.py (no blank nodes), so the same input always gives the same triples and
the graphs of many documents merge on their shared departments, subjects, periods and units.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, XSD, Graph, Literal, URIRef

from policykg.extract.records import Department, DocumentMeta, Extraction, Section, Span, Task
from policykg.graph import iris
from policykg.graph.vocab import DCTERMS, OA, ORG, PKG, PROV, QB, RDFS, SKOS

QUOTE_CONTEXT = 16  # characters of prefix/suffix in a TextQuoteSelector: enough to place a short quote

KIND = {
    "part": PKG.KindPart,
    "goal": PKG.KindGoal,
    "task_group": PKG.KindTaskGroup,
    "task": PKG.KindTask,
    "measure": PKG.KindMeasure,
}
COMPARATOR = {
    ">=": PKG.AtLeast,
    ">": PKG.MoreThan,
    "=": PKG.EqualTo,
    "<=": PKG.AtMost,
    "<": PKG.LessThan,
    "~": PKG.Approximately,
}
ROLE = {"lead": PKG.LeadRole, "co": PKG.CoRole}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Government bodies a 市X局 name stands for; the party (市委…), congress, CPPCC, discipline and supervisory
# commissions, courts and mass organisations are not departments of the people's government.
_NOT_GOVERNMENT = re.compile(r"^.(委|人大|政协|纪委|监委)")
_GOVERNMENT_SUFFIX = re.compile(r"(局|委|办|办公室|委员会|厅)$")


def build_graph(ex: Extraction) -> Graph:
    """One document's graph."""
    g = Graph()
    add_extraction(g, ex)
    return g


Documents = dict[str, Graph]  # one graph per document, by the document's IRI: the named graphs of a dataset


def build_documents(extractions: Iterable[Extraction]) -> Documents:
    """One graph per document, keyed by the document's IRI (its graph name in N-Quads, TriG and JSON-LD)."""
    out: Documents = {}
    for ex in extractions:
        add_extraction(out.setdefault(document_iri(ex), Graph()), ex)
    return out


def document_iri(ex: Extraction) -> str:
    return iris.document(ex.document.doc_number, ex.text)


def document_place(meta: DocumentMeta) -> str | None:
    """The issuing place: as extracted, else read off the issuer (苏州市人民政府办公室 -> 苏州市)."""
    if meta.place:
        return meta.place
    return iris.place_of_issuer(meta.issuer)


def government_of(place: str | None, names: Iterable[str]) -> str | None:
    """The people's government a department belongs to: 市质监局 (or 苏州市质量技术监督局) in 苏州市 ->
    苏州市人民政府; its general office 苏州市人民政府办公室 too."""
    if not place or place[-1] not in "省市区县":
        return None
    government = f"{place}人民政府"
    prefix = place[-1]
    for name in names:
        if name.startswith(government):
            return government if name != government else None
        local = prefix + name[len(place):] if name.startswith(place) else name
        if local in (f"{prefix}政府", f"{prefix}人民政府"):
            return None
        if (local.startswith(prefix) and len(local) > 2 and not _NOT_GOVERNMENT.match(local)
                and _GOVERNMENT_SUFFIX.search(local)):
            return government
    return None


def add_extraction(g: Graph, ex: Extraction) -> None:
    doc = URIRef(document_iri(ex))
    place = document_place(ex.document)
    _add_document(g, doc, ex, place)
    orgs = _add_departments(g, doc, ex.departments, place)
    by_path = {s.path: s for s in ex.sections}
    for order, sec in enumerate(ex.sections):
        _add_section(g, doc, sec, order, by_path)
    for task in ex.tasks:
        _add_task(g, doc, ex, task, orgs, place, by_path)
    _add_indicators(g, doc, ex)


def _lit(text: str) -> Literal:
    return Literal(text, lang="zh")


def _add_document(g: Graph, doc: URIRef, ex: Extraction, place: str | None) -> None:
    meta = ex.document
    g.add((doc, RDF.type, PKG.PolicyDocument))
    g.add((doc, DCTERMS.source, Literal(ex.source)))
    g.add((doc, PKG.textSha256, Literal(iris.text_digest(ex.text))))
    if meta.title:
        g.add((doc, DCTERMS.title, _lit(meta.title)))
    if meta.doc_number:
        g.add((doc, DCTERMS.identifier, Literal(meta.doc_number)))
    for prop, value in ((DCTERMS.issued, meta.published), (PKG.signed, meta.signed)):
        if value:
            g.add((doc, prop, Literal(value, datatype=XSD.date) if _ISO_DATE.fullmatch(value) else Literal(value)))
    for recipient in meta.recipients:
        g.add((doc, PKG.recipient, _lit(recipient)))
    if place:
        g.add((doc, PKG.place, _lit(place)))
    if meta.issuer:
        issuer = URIRef(iris.organisation(meta.issuer, meta.issuer, place, str(doc)))
        g.add((doc, DCTERMS.publisher, issuer))
        _add_organisation(g, issuer, meta.issuer, [], False, place)


def _add_organisation(g: Graph, node: URIRef, pref: str, alt: list[str], collective: bool,
                      place: str | None) -> None:
    g.add((node, RDF.type, ORG.Organization))
    g.add((node, RDF.type, PROV.Organization))
    if collective:
        g.add((node, RDF.type, PKG.CollectiveUnit))
    g.add((node, SKOS.prefLabel, _lit(pref)))
    for label in alt:
        if label != pref:
            g.add((node, SKOS.altLabel, _lit(label)))
    parent = None if collective else government_of(place, [pref, *alt])
    if parent:
        parent_node = URIRef(iris.organisation(parent, parent, place, ""))
        g.add((node, ORG.subOrganizationOf, parent_node))
        g.add((parent_node, RDF.type, ORG.Organization))
        g.add((parent_node, RDF.type, PROV.Organization))
        g.add((parent_node, SKOS.prefLabel, _lit(parent)))


def _add_departments(g: Graph, doc: URIRef, departments: list[Department], place: str | None) -> dict[str, URIRef]:
    """Departments by every name they are written with -> their IRI."""
    orgs: dict[str, URIRef] = {}
    for d in departments:
        node = URIRef(iris.organisation(d.canonical, d.name, place, str(doc), d.collective))
        _add_organisation(g, node, d.canonical or d.name, [d.name, *d.aliases], d.collective, place)
        for name in (d.name, *d.aliases):
            orgs.setdefault(name, node)
    return orgs


def _department(g: Graph, doc: URIRef, name: str, orgs: dict[str, URIRef], place: str | None) -> URIRef:
    node = orgs.get(name)
    if node is None:  # named in a clause but missing from the department list: still an organisation
        node = orgs[name] = URIRef(iris.organisation(None, name, place, str(doc)))
        _add_organisation(g, node, name, [], False, place)
    return node


def _add_section(g: Graph, doc: URIRef, sec: Section, order: int, by_path: dict[str, Section]) -> None:
    node = URIRef(iris.section(str(doc), sec.path))
    g.add((node, RDF.type, PKG.Section))
    g.add((node, PKG.document, doc))
    g.add((node, PKG.path, Literal(sec.path)))
    g.add((node, DCTERMS.title, _lit(sec.title)))
    g.add((node, PKG.rank, Literal(sec.rank)))
    g.add((node, PKG.order, Literal(order)))
    kind = KIND.get(sec.kind)
    if kind is not None:
        g.add((node, PKG.sectionKind, kind))
    parent = URIRef(iris.section(str(doc), sec.parent)) if sec.parent in by_path else doc
    g.add((node, DCTERMS.isPartOf, parent))
    g.add((parent, DCTERMS.hasPart, node))
    if sec.kind == "goal":  # goals form the document's SKOS concept scheme
        scheme = URIRef(iris.goal_scheme(str(doc)))
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, _lit("发展目标")))
        g.add((scheme, SKOS.prefLabel, Literal("goals", lang="en")))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.prefLabel, _lit(sec.title)))
        g.add((node, SKOS.inScheme, scheme))
        up = by_path.get(sec.parent or "")
        if up is not None and up.kind == "goal":
            g.add((node, SKOS.broader, parent))
            g.add((parent, SKOS.narrower, node))
        else:
            g.add((node, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, node))


def _add_text_source(g: Graph, node: URIRef, doc: URIRef, text: str, span: Span, name: str = "text") -> None:
    """node pkg:textSource <node#name>: the passage as an oa:SpecificResource with both kinds of selector."""
    start, end = span
    target = URIRef(f"{node}-{name}" if "#" in node else f"{node}#{name}")
    position = URIRef(f"{target}-position")
    quote = URIRef(f"{target}-quote")
    g.add((node, PKG.textSource, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, doc))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(text[start:end])))
    g.add((quote, OA.prefix, Literal(text[max(0, start - QUOTE_CONTEXT):start])))
    g.add((quote, OA.suffix, Literal(text[end:end + QUOTE_CONTEXT])))


def _add_task(g: Graph, doc: URIRef, ex: Extraction, task: Task, orgs: dict[str, URIRef], place: str | None,
              by_path: dict[str, Section]) -> None:
    node = URIRef(iris.section(str(doc), task.path))
    g.add((node, RDF.type, PKG.Task))
    if task.path not in by_path:  # a task the section list lacks still needs to be a findable section
        g.add((node, RDF.type, PKG.Section))
        g.add((node, PKG.sectionKind, PKG.KindTask))
        g.add((node, PKG.document, doc))
        g.add((node, PKG.path, Literal(task.path)))
        g.add((node, DCTERMS.title, _lit(task.title)))
        g.add((node, DCTERMS.isPartOf, doc))
    _add_text_source(g, node, doc, ex.text, task.span)
    if task.deadline:
        g.add((node, PKG.deadline, _lit(task.deadline)))
    clause = None
    if task.responsibility_text:
        clause = URIRef(f"{node}#clause")
        g.add((node, PKG.responsibilityClause, clause))
        g.add((clause, RDF.type, PKG.ResponsibilityClause))
        g.add((clause, RDF.value, Literal(task.responsibility_text)))
        if task.responsibility_span:
            _add_text_source(g, clause, doc, ex.text, task.responsibility_span)
    # position 0 is the lead's, co-operating units count from 1 in the order of the clause
    units = ([(0, "lead", task.lead)] if task.lead else []) + [
        (n, "co", c) for n, c in enumerate((c for c in task.co if c != task.lead), start=1)]
    for position, role, name in units:
        dept = _department(g, doc, name, orgs, place)
        attribution = URIRef(f"{node}#lead" if role == "lead" else f"{node}#co-{position}")
        g.add((node, PKG.leadDepartment if role == "lead" else PKG.coDepartment, dept))
        g.add((node, PROV.qualifiedAttribution, attribution))
        g.add((attribution, RDF.type, PROV.Attribution))
        g.add((attribution, PROV.agent, dept))
        g.add((attribution, PROV.hadRole, ROLE[role]))
        g.add((attribution, PKG.position, Literal(position)))
        g.add((attribution, PKG.writtenAs, Literal(name)))
        if clause is not None:
            g.add((attribution, PKG.statedIn, clause))


def _number(value: float | int) -> Literal:
    if isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, int):
        return Literal(value)
    d = Decimal(repr(value))
    return Literal(d, datatype=XSD.decimal)


def _concept(g: Graph, node: URIRef, scheme: str, label: str, notation: str | None = None) -> None:
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, URIRef(scheme)))
    g.add((node, SKOS.prefLabel, _lit(label)))
    if notation is not None:
        g.add((node, SKOS.notation, Literal(notation)))


def _add_indicators(g: Graph, doc: URIRef, ex: Extraction) -> None:
    known_sections = {s.path for s in ex.sections} | {t.path for t in ex.tasks}
    ids = {i.id for i in ex.indicators}
    items: dict[tuple[str, ...], int] = {}  # a cube's key: several values for one subject are items 1, 2, …
    for ind in ex.indicators:
        node = URIRef(iris.indicator(str(doc), ind.id))
        quantitative = ind.value is not None
        kind = "quantitative" if quantitative else "qualitative"
        ds = URIRef(iris.dataset(str(doc), kind))
        _add_dataset(g, doc, ds, kind, ex)
        g.add((node, RDF.type, QB.Observation))
        g.add((node, RDF.type, PKG.Indicator))
        g.add((node, RDF.type, PKG.QuantitativeTarget if quantitative else PKG.QualitativeTarget))
        g.add((node, QB.dataSet, ds))
        g.add((node, PKG.document, doc))
        g.add((node, DCTERMS.identifier, Literal(ind.id)))
        owner = URIRef(iris.section(str(doc), ind.owner)) if ind.owner in known_sections else doc
        g.add((node, PKG.refSection, owner))
        subject = URIRef(iris.subject(ind.subject))
        g.add((node, PKG.subject, subject))
        _concept(g, subject, iris.SUBJECT_SCHEME, unicodedata.normalize("NFKC", ind.subject).strip())
        period = URIRef(iris.period(ind.year))
        g.add((node, PKG.targetPeriod, period))
        if ind.year is not None:
            _concept(g, period, iris.PERIOD_SCHEME, f"{ind.year}年", str(ind.year))
            g.add((period, SKOS.prefLabel, Literal(str(ind.year), lang="en")))
            g.add((period, PKG.year, Literal(ind.year)))
        else:
            _concept(g, period, iris.PERIOD_SCHEME, "未指定", "unspecified")
        cube_key = (kind, str(owner), str(subject), str(period))
        item = items[cube_key] = items.get(cube_key, 0) + 1
        g.add((node, PKG.respectiveItem, Literal(item, datatype=XSD.positiveInteger)))
        if quantitative:
            g.add((node, PKG.targetValue, _number(ind.value)))
        else:
            g.add((node, PKG.targetStatement, Literal(ind.text)))
        if quantitative or ind.unit:
            unit = URIRef(iris.unit(ind.unit))
            g.add((node, PKG.unit, unit))
            folded = unicodedata.normalize("NFKC", ind.unit or "").strip()
            _concept(g, unit, iris.UNIT_SCHEME, folded or "无量纲", folded or "1")
        if ind.comparator in COMPARATOR:
            g.add((node, PKG.comparator, COMPARATOR[ind.comparator]))
        if ind.value_max is not None:
            g.add((node, PKG.targetValueMax, _number(ind.value_max)))
        g.add((node, PKG.perYear, Literal(bool(ind.per_year))))
        g.add((node, PKG.cumulative, Literal(bool(ind.cumulative))))
        g.add((node, PKG.optional, Literal(bool(ind.optional))))
        if ind.same_as and ind.same_as in ids:
            g.add((node, PKG.sameTargetAs, URIRef(iris.indicator(str(doc), ind.same_as))))
        _add_text_source(g, node, doc, ex.text, ind.span)
    _add_suggestions(g, doc, ex, known_sections, ids)


def _add_dataset(g: Graph, doc: URIRef, ds: URIRef, kind: str, ex: Extraction) -> None:
    g.add((ds, RDF.type, QB.DataSet))
    g.add((ds, QB.structure, PKG.QuantitativeTargetStructure if kind == "quantitative"
           else PKG.QualitativeTargetStructure))
    g.add((ds, PKG.document, doc))
    label = {"quantitative": ("量化目标", "quantitative targets"), "qualitative": ("定性目标", "qualitative targets")}
    zh, en = label[kind]
    title = ex.document.title or ex.source
    g.add((ds, RDFS.label, _lit(f"{title}：{zh}")))
    g.add((ds, RDFS.label, Literal(f"{en} of {title}", lang="en")))


def _add_suggestions(g: Graph, doc: URIRef, ex: Extraction, known_sections: set[str], ids: set[str]) -> None:
    counts: dict[str, int] = {}
    for s in ex.suggestions:
        if s.indicator not in ids or s.task not in known_sections:
            continue
        n = counts[s.indicator] = counts.get(s.indicator, 0) + 1
        ind = URIRef(iris.indicator(str(doc), s.indicator))
        node = URIRef(f"{ind}#suggestion-{n}")
        g.add((ind, PKG.suggestion, node))
        g.add((node, RDF.type, PKG.OwnerSuggestion))
        g.add((node, PKG.suggestedTask, URIRef(iris.section(str(doc), s.task))))
        g.add((node, PKG.score, Literal(Decimal(f"{s.score:.3f}"), datatype=XSD.decimal)))
