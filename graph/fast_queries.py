"""who-owns by index: the same answers as `graph.queries.who_owns`, in milliseconds on a corpus graph.

graph/queries/who-owns.rq folds every task's path (REPLACE of the brackets) and tests every title (CONTAINS) to
find the tasks, then left-joins their attributions. Oxigraph evaluates that in time proportional to the whole
graph: it computes the fold for every task, and evaluates each OPTIONAL group over the whole store before
joining (about 80 ms on 100 documents, 0.8 s on 1,000). Here a path is looked up instead: the few spellings
of the path a folded needle stands for (each bracket full- or half-width) are matched against pkg:path
through the index, and the attributions are fetched for those tasks only (VALUES inside each OPTIONAL group).
A needle no path matches is a title fragment, answered by the shipped query as before.

Adopting it: have `graph.queries.who_owns` call `indexed_paths` first (see bench/README.md); the results are
the same rows (tests/test_fast_queries.py compares them).
"""

from __future__ import annotations

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
  VALUES ?task { TASKS }
  ?task a pkg:Task ; pkg:path ?path ; pkg:document ?doc .
  BIND (true AS ?exact)
  OPTIONAL { VALUES ?task { TASKS } ?task dcterms:title ?title }
  OPTIONAL { VALUES ?task { TASKS } ?task pkg:order ?order }
  OPTIONAL { ?doc dcterms:identifier ?number }
  OPTIONAL { ?doc dcterms:source ?file }
  BIND (COALESCE(?number, ?file) AS ?docId)
  OPTIONAL {
    VALUES ?task { TASKS }
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
SELECT DISTINCT ?task WHERE { VALUES ?path { PATHS } ?task pkg:path ?path . ?task a pkg:Task }"""


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
    tasks = [r["task"] for r in _select(data, _TASKS.replace("PATHS", paths))]
    if not tasks:
        return None
    listed = " ".join(f"<{t}>" for t in sorted(tasks))
    return _owners(_select(data, _OWNERS.replace("TASKS", listed)))


def _select(data: Graph, query: str) -> list[dict[str, object]]:
    """SELECT rows as Python values. On an Oxigraph-backed graph (graph/store.py) the query goes to pyoxigraph
    directly: converting every cell to an rdflib term and back costs more than the query itself."""
    inner = getattr(data.store, "_inner", None)  # oxrdflib's OxigraphStore keeps the pyoxigraph Store here
    if not isinstance(inner, ox.Store):
        return queries.rows(queries.run(data, query))
    solutions = inner.query(query)
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
    """queries.who_owns, with paths looked up by index."""
    return indexed_paths(data, needle) or queries.who_owns(data, needle)


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


__all__ = ["indexed_paths", "spellings", "who_owns"]
