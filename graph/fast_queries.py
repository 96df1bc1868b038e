"""who-owns and tasks-of by index: the same answers as graph/queries/*.rq, in milliseconds on a corpus graph.

graph/queries/who-owns.rq folds every task's path (REPLACE of the brackets) and tests every title (CONTAINS) to
find the tasks, then left-joins their attributions. Oxigraph evaluates that in time proportional to the whole
graph: it computes the fold for every task, and evaluates each OPTIONAL group over the whole store before
joining (about 80 ms on 100 documents, 0.8 s on 1,000). Here a path is looked up instead: the few spellings
of the path a folded needle stands for (each bracket full- or half-width) are matched against pkg:path
through the index, and the attributions are fetched for those tasks only (VALUES inside each OPTIONAL group).
A needle no path matches is a title fragment, answered by the shipped query as before.

tasks-of.rq asks `?indicator pkg:refSection/dcterms:isPartOf* ?task` inside an OPTIONAL, which Oxigraph evaluates
for every indicator of the store (13.8 s on 1,000 documents). Here the department's tasks are looked up first, and
the same query runs with those tasks as VALUES inside each group.

`graph.queries.who_owns` and `graph.queries.tasks_of` use these on an Oxigraph-backed graph (graph/store.py) and
the shipped queries elsewhere (a remote endpoint, a plain rdflib graph); the results are the same rows
(tests/test_fast_queries.py compares them with the shipped queries').
"""

from __future__ import annotations

import re
from itertools import product

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef

from policykg.graph import queries
from policykg.graph.queries import TaskOwners

MAX_SPELLINGS = 256  # 8 brackets; a longer needle is left to the shipped query
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                                "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
                                "unsignedShort", "unsignedByte")}

_OWNERS = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX pkg: <https://w3id.org/policykg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?doc ?docId ?task ?path ?title ?exact ?role ?position ?writtenAs ?department ?label
WHERE {
  VALUES ?task { %TASKS% }
  ?task a pkg:Task ; pkg:path ?path ; pkg:document ?doc .
  BIND (true AS ?exact)
  OPTIONAL { VALUES ?task { %TASKS% } ?task dcterms:title ?title }
  OPTIONAL { VALUES ?task { %TASKS% } ?task pkg:order ?order }
  OPTIONAL { ?doc dcterms:identifier ?number }
  OPTIONAL { ?doc dcterms:source ?file }
  BIND (COALESCE(?number, ?file) AS ?docId)
  OPTIONAL {
    VALUES ?task { %TASKS% }
    ?task prov:qualifiedAttribution ?attribution .
    ?attribution prov:agent ?department ;
                 prov:hadRole ?roleIri ;
                 pkg:position ?position ;
                 pkg:writtenAs ?writtenAs .
    BIND (IF(?roleIri = pkg:LeadRole, "lead", "co") AS ?role)
    OPTIONAL { ?department skos:prefLabel ?label }
  }
}
ORDER BY ?doc ?order ?path ?position"""

_TASKS = """PREFIX pkg: <https://w3id.org/policykg/ns#>
SELECT DISTINCT ?task WHERE { VALUES ?path { %PATHS% } ?task pkg:path ?path . ?task a pkg:Task }"""


_DEPARTMENT_TASKS = """PREFIX pkg: <https://w3id.org/policykg/ns#>
SELECT DISTINCT ?department ?task ?blank WHERE {
  { ?task pkg:leadDepartment ?department } UNION { ?task pkg:coDepartment ?department }
  BIND (isBlank(?task) AS ?blank)
}"""

# graph/queries/tasks-of.rq with the department's tasks as VALUES in each group (the same solutions: every
# solution of tasks-of.rq has one of these tasks).
_TASKS_OF = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX pkg: <https://w3id.org/policykg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?department ?role ?doc ?docId ?task ?path ?title ?indicator ?indicatorId ?subject ?value ?valueMax ?unit
       ?comparator ?year ?perYear
WHERE {
  VALUES ?task { %TASKS% }
  { ?task pkg:leadDepartment ?department . BIND ("lead" AS ?role) }
  UNION
  { ?task pkg:coDepartment ?department . BIND ("co" AS ?role) }
  ?task pkg:path ?path ;
        pkg:document ?doc .
  OPTIONAL { VALUES ?task { %TASKS% } ?task dcterms:title ?title }
  OPTIONAL { VALUES ?task { %TASKS% } ?task pkg:order ?order }
  OPTIONAL { VALUES ?doc { %DOCS% } ?doc dcterms:identifier ?number }
  OPTIONAL { VALUES ?doc { %DOCS% } ?doc dcterms:source ?file }
  BIND (COALESCE(?number, ?file) AS ?docId)
  OPTIONAL {
    VALUES ?task { %TASKS% }
    ?indicator pkg:refSection/dcterms:isPartOf* ?task ;
               dcterms:identifier ?indicatorId .
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:textSource/oa:hasSelector/oa:start ?start }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:subject/skos:prefLabel ?subject }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:targetValue ?value }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:targetValueMax ?valueMax }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:unit/skos:notation ?unit }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:comparator/skos:notation ?comparator }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:targetPeriod/pkg:year ?year }
    OPTIONAL { VALUES ?indicator { %INDICATORS% } ?indicator pkg:perYear ?perYear }
  }
}
ORDER BY ?doc ?order ?path ?start ?indicatorId"""

_DOCS_AND_INDICATORS = """PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX pkg: <https://w3id.org/policykg/ns#>
SELECT DISTINCT ?doc ?blankDoc ?indicator ?blank WHERE {
  VALUES ?task { %TASKS% }
  ?task pkg:document ?doc .
  BIND (isBlank(?doc) AS ?blankDoc)
  OPTIONAL { ?task ^dcterms:isPartOf*/^pkg:refSection ?indicator BIND (isBlank(?indicator) AS ?blank) }
}"""


def is_oxigraph(data: object) -> bool:
    """Whether data is an rdflib graph over a pyoxigraph store (graph/store.py), which the queries here need."""
    return _inner_store(data) is not None


def _inner_store(data: object) -> ox.Store | None:
    """The pyoxigraph Store behind an rdflib graph (oxrdflib's OxigraphStore keeps it as _inner), if any."""
    if not isinstance(data, Graph):  # a remote endpoint (graph/remote.py) offers query() alone
        return None
    inner = getattr(data.store, "_inner", None)
    return inner if isinstance(inner, ox.Store) else None


def spellings(folded: str) -> list[str] | None:
    """Every path whose brackets fold to the needle's: 三/(一)/1 -> 三/(一)/1, 三/（一)/1, 三/(一）/1, 三/（一）/1."""
    choices = [("(", "（") if ch == "(" else (")", "）") if ch == ")" else (ch,) for ch in folded]
    count = 1
    for c in choices:
        count *= len(c)
    if count > MAX_SPELLINGS:
        return None
    return ["".join(p) for p in product(*choices)]


def indexed_paths(data: Graph, needle: str) -> list[TaskOwners] | None:
    """The tasks whose numbering path is the needle, with their owners, as queries.who_owns gives them; None when
    no path matches (the needle is then a title fragment: ask queries.who_owns)."""
    folded = queries.fold(needle)
    forms = spellings(folded) if folded else None
    if not forms:
        return None
    paths = " ".join(Literal(f).n3() for f in forms)
    tasks = [r["task"] for r in _select(data, _fill(_TASKS, PATHS=paths))]
    if not tasks:
        return None
    listed = " ".join(f"<{t}>" for t in sorted(tasks))
    return _owners(_select(data, _fill(_OWNERS, TASKS=listed)))


def indexed_tasks_of(data: Graph, department: str) -> list[dict[str, object]] | None:
    """The rows of tasks-of.rq for a department (IRI), as queries.rows gives them, the department's tasks looked up
    first; None when a task or its document is a blank node (which cannot be listed: ask the shipped query)."""
    bound = {"department": ox.NamedNode(department)}
    tasks = _select(data, _DEPARTMENT_TASKS, bound)
    if not tasks:
        return []
    if any(r["blank"] for r in tasks):
        return None
    listed = " ".join(sorted({_n3(r["task"]) for r in tasks}))
    found = _select(data, _fill(_DOCS_AND_INDICATORS, TASKS=listed))
    if any(r["blankDoc"] for r in found):
        return None
    docs = " ".join(sorted({_n3(r["doc"]) for r in found}))
    if any(r["blank"] for r in found):  # a blank node cannot be listed: let the indicators' groups run unrestricted
        indicators = "UNDEF"
    else:
        indicators = " ".join(sorted({_n3(r["indicator"]) for r in found if r["indicator"] is not None})) or "UNDEF"
    query = _fill(_TASKS_OF, TASKS=listed, DOCS=docs, INDICATORS=indicators)
    return _select(data, query, bound)


def _fill(template: str, **lists: str) -> str:
    """The template with each %NAME% replaced in one pass (an IRI may contain a placeholder's name)."""
    return re.sub(r"%([A-Z]+)%", lambda m: lists[m.group(1)], template)


def _n3(iri: object) -> str:
    return URIRef(str(iri)).n3()


def _select(data: Graph, query: str, bindings: dict[str, ox.NamedNode] | None = None) -> list[dict[str, object]]:
    """SELECT rows as Python values. On an Oxigraph-backed graph (graph/store.py) the query goes to pyoxigraph
    directly: converting every cell to an rdflib term and back costs more than the query itself."""
    inner = _inner_store(data)
    if inner is None:
        return queries.rows(queries.run(data, query, **{k: URIRef(v.value) for k, v in (bindings or {}).items()}))
    solutions = inner.query(query, substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()})
    names = [v.value for v in solutions.variables]
    return [{n: _value(row[n]) for n in names} for row in solutions]


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> object:
    """queries.value for a pyoxigraph term."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in (_XSD + "decimal", _XSD + "double", _XSD + "float"):
            return queries.value(Literal(term.value, datatype=URIRef(datatype)))
    return term.value


def who_owns(data: Graph, needle: str) -> list[TaskOwners]:
    """queries.who_owns, with paths looked up by index on any graph."""
    return indexed_paths(data, needle) or queries.shipped_who_owns(data, needle)


def _owners(found: list[dict[str, object]]) -> list[TaskOwners]:
    """The rows of who-owns.rq grouped by task, as queries.who_owns groups them."""
    tasks: dict[str, TaskOwners] = {}
    for r in found:
        t = tasks.get(str(r["task"]))
        if t is None:
            t = tasks[str(r["task"])] = TaskOwners(r["doc"], r["docId"], r["task"], r["path"], r["title"])  # type: ignore[arg-type]
        if r["role"] == "lead":
            t.lead, t.lead_label = r["writtenAs"], r["label"]  # type: ignore[assignment]
        elif r["role"] == "co" and r["writtenAs"] not in t.co:
            t.co.append(r["writtenAs"])  # type: ignore[arg-type]
            t.co_labels.append(r["label"])  # type: ignore[arg-type]
    return list(tasks.values())


__all__ = ["indexed_paths", "indexed_tasks_of", "is_oxigraph", "spellings", "who_owns"]
