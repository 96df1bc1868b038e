"""The accountability graph as a NetworkX graph: a projection of the RDF, its one source of truth.

Contract (the analyses in this package and the interactive view in viz/ are built on it)::

    project(graph) -> networkx.MultiDiGraph

``graph`` is an rdflib Graph, Dataset or ConjunctiveGraph, as the loaders of ``policykg.graph.store`` return
(Oxigraph-backed: the projection then runs a few SPARQL queries natively in Oxigraph; any other rdflib store is
copied into Oxigraph first), or a remote endpoint's stand-in (graph/remote.py: the same queries, sent to it).
Nothing is read from the JSON view or the text.

Nodes are keyed by IRI (str). Every node has ``kind``, ``label`` (short display text) and ``iri``:

- ``document``: ``title``, ``doc_number``, ``source`` (file name), ``issued``; label = 文号, else title, else file.
- ``goal`` (a goal section), ``task`` (a task, or a measure with its own responsibility clause), ``section``
  (every other heading: parts, task groups, measures): ``path``, ``title``, ``section_kind`` (part, goal,
  task_group, task, measure), ``document`` (doc IRI), ``order`` (reading order in the document),
  ``quote`` (the verbatim source text when the graph has it, else the title), ``start``, ``end`` (character
  span in the document's text, ints or None); label = "path title". Tasks also have ``deadline``, ``lead``
  (the lead department as the clause writes it, or None), ``co`` (co-responsible departments as written, in
  the clause's order) and ``responsibility_text`` (the clause verbatim, or None).
- ``department``: every organisation a clause makes responsible or a document lists among its departments
  (the issuer and the governments above the departments are context, not nodes): ``pref_label`` (canonical
  name), ``alt_labels`` (sorted names as written), ``collective`` (各区政府 …); label = the name clauses write
  most often, else its longest name as written, else the canonical name.
- ``indicator``: ``indicator_id``, ``subject``, ``text`` (verbatim quote, or the qualitative statement),
  ``value``, ``value_max``, ``unit`` ("" when dimensionless, None when the target has no unit), ``comparator``
  (>=, >, =, <=, <, ~), ``year``, ``per_year``, ``cumulative``, ``quantitative``, ``owner`` (the owning
  section's path, None when the document owns it), ``document``, ``start``, ``end``, ``unassigned`` (True
  exactly for the targets the SPARQL audit graph/queries/unassigned.rq lists; computed by its set form
  unassigned-ids.rq, which Oxigraph answers in linear time); label = "id subject".

Edges are keyed by their kind, which is also their ``kind`` attribute:

- task -> department ``lead`` and ``co`` (attributes ``written_as``, ``position``: 0 for the lead, co-operating
  units from 1 in the clause's order);
- section, goal or task -> indicator ``has_indicator`` (the owning section; the document when the target stands
  outside every numbered section);
- section, goal or task -> parent section or document ``part_of``;
- indicator -> indicator ``same_as``, written both ways.

Every attribute value is JSON-serialisable (str, int, float, bool, None or a list of str). The same graph
always gives the same nodes and edges in the same insertion order: documents by IRI, then each document's
sections in reading order, departments by IRI, each document's indicators in the order of the text; edges in
the order of their source nodes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Protocol

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

from policykg.graph.build import COMPARATOR, KIND, ROLE
from policykg.graph.iris import PREFIXES
from policykg.graph.queries import query_text
from policykg.graph.serialize import to_ox

NODE_KINDS = ("document", "goal", "task", "department", "indicator", "section")
EDGE_KINDS = ("lead", "co", "has_indicator", "part_of", "same_as")

_XSD = PREFIXES["xsd"]
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
                                "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong")}
_KIND_NAME = {str(iri): name for name, iri in KIND.items()}
_COMPARATOR_NAME = {str(iri): name for name, iri in COMPARATOR.items()}
_ROLE_NAME = {str(iri): name for name, iri in ROLE.items()}
_PREFIX = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

_DOCUMENTS = _PREFIX + """
SELECT ?doc ?title ?number ?source ?issued WHERE {
  ?doc a pkg:PolicyDocument .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:identifier ?number }
  OPTIONAL { ?doc dcterms:source ?source }
  OPTIONAL { ?doc dcterms:issued ?issued }
}"""

_SECTIONS = _PREFIX + """
SELECT ?s ?doc ?path ?title ?kind ?order ?parent ?isTask ?deadline ?clause ?start ?end ?quote WHERE {
  ?s a pkg:Section ; pkg:path ?path ; pkg:document ?doc .
  OPTIONAL { ?s dcterms:title ?title }
  OPTIONAL { ?s pkg:sectionKind ?kind }
  OPTIONAL { ?s pkg:order ?order }
  OPTIONAL { ?s dcterms:isPartOf ?parent }
  BIND (EXISTS { ?s a pkg:Task } AS ?isTask)
  OPTIONAL { ?s pkg:deadline ?deadline }
  OPTIONAL { ?s pkg:responsibilityClause/rdf:value ?clause }
  OPTIONAL { ?s pkg:textSource/oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }
  OPTIONAL { ?s pkg:textSource/oa:hasSelector/oa:exact ?quote }
}"""

# The qualified form keeps each unit as written and its place in the clause; the shortcuts are read too, so a
# graph that states only them still projects.
_ATTRIBUTIONS = _PREFIX + """
SELECT ?task ?department ?role ?position ?written WHERE {
  {
    ?task prov:qualifiedAttribution ?attribution .
    ?attribution prov:agent ?department ; prov:hadRole ?role .
    OPTIONAL { ?attribution pkg:position ?position }
    OPTIONAL { ?attribution pkg:writtenAs ?written }
  }
  UNION { ?task pkg:leadDepartment ?department . BIND (pkg:LeadRole AS ?role) }
  UNION { ?task pkg:coDepartment ?department . BIND (pkg:CoRole AS ?role) }
}"""

_ORGANISATIONS = _PREFIX + """
SELECT ?org ?pref ?alt ?collective WHERE {
  ?org a org:Organization .
  OPTIONAL { ?org skos:prefLabel ?pref }
  OPTIONAL { ?org skos:altLabel ?alt }
  BIND (EXISTS { ?org a pkg:CollectiveUnit } AS ?collective)
}"""

_INDICATORS = _PREFIX + """
SELECT ?i ?doc ?id ?owner ?quantitative ?subject ?value ?valueMax ?unit ?comparator ?year ?perYear ?cumulative
       ?statement ?start ?end ?quote WHERE {
  ?i a pkg:Indicator ; pkg:document ?doc .
  OPTIONAL { ?i dcterms:identifier ?id }
  OPTIONAL { ?i pkg:refSection ?owner }
  BIND (EXISTS { ?i a pkg:QuantitativeTarget } AS ?quantitative)
  OPTIONAL { ?i pkg:subject/skos:prefLabel ?subject }
  OPTIONAL { ?i pkg:targetValue ?value }
  OPTIONAL { ?i pkg:targetValueMax ?valueMax }
  OPTIONAL { ?i pkg:unit/skos:notation ?unit }
  OPTIONAL { ?i pkg:comparator ?comparator }
  OPTIONAL { ?i pkg:targetPeriod/pkg:year ?year }
  OPTIONAL { ?i pkg:perYear ?perYear }
  OPTIONAL { ?i pkg:cumulative ?cumulative }
  OPTIONAL { ?i pkg:targetStatement ?statement }
  OPTIONAL { ?i pkg:textSource/oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end }
  OPTIONAL { ?i pkg:textSource/oa:hasSelector/oa:exact ?quote }
}"""

_SAME_AS = _PREFIX + "SELECT ?a ?b WHERE { ?a pkg:sameTargetAs ?b }"


class Queryable(Protocol):
    """What a remote endpoint's stand-in offers: rdflib's query()."""

    def query(self, query: str) -> Any: ...


def project(graph: Graph | Queryable) -> nx.MultiDiGraph:
    """The MultiDiGraph of the accountability graph (see the module docstring for its contract)."""
    select = _selector(graph)
    G = nx.MultiDiGraph()

    documents = _first_rows(select(_DOCUMENTS), "doc")
    sections = _first_rows(select(_SECTIONS), "s")
    attributions = _attributions(select(_ATTRIBUTIONS))
    organisations = _organisations(select(_ORGANISATIONS))
    indicators = _first_rows(select(_INDICATORS), "i")
    same_as = sorted({pair for r in select(_SAME_AS) for pair in ((r["a"], r["b"]), (r["b"], r["a"]))})
    unassigned = {r["indicator"] for r in select(query_text("unassigned-ids"))}

    for iri in sorted(documents):
        r = documents[iri]
        G.add_node(iri, kind="document", label=r["number"] or r["title"] or r["source"] or iri, iri=iri,
                   title=r["title"], doc_number=r["number"], source=r["source"], issued=_text(r["issued"]))

    written: dict[str, Counter[str]] = {}
    for units in attributions.values():
        for u in units:
            if u["written"]:
                written.setdefault(u["department"], Counter())[u["written"]] += 1
    departments = {iri: o for iri, o in organisations.items() if iri in written or o["alt"]}
    departments.update({u["department"]: {"pref": None, "alt": set(), "collective": False}
                        for units in attributions.values() for u in units
                        if u["department"] not in departments})

    ordered = sorted(sections, key=lambda s: (sections[s]["doc"], _last_if_none(sections[s]["order"]),
                                              sections[s]["path"], s))
    for iri in ordered:
        r = sections[iri]
        kind_name = _KIND_NAME.get(r["kind"] or "")
        kind = "task" if r["isTask"] else "goal" if kind_name == "goal" else "section"
        title = r["title"] or ""
        attrs: dict[str, Any] = dict(
            kind=kind, label=f"{r['path']} {title}".strip(), iri=iri, path=r["path"], title=title,
            section_kind=kind_name or ("task" if r["isTask"] else None), document=r["doc"], order=r["order"],
            quote=r["quote"] if r["quote"] is not None else title, start=r["start"], end=r["end"])
        if kind == "task":
            units = attributions.get(iri, [])
            lead = next((u for u in units if u["role"] == "lead"), None)
            attrs.update(
                deadline=r["deadline"],
                lead=(lead["written"] or _dept_label(organisations, written, lead["department"])) if lead else None,
                co=_unique([u["written"] or _dept_label(organisations, written, u["department"])
                            for u in units if u["role"] == "co"]),
                responsibility_text=r["clause"])
        G.add_node(iri, **attrs)

    for iri in sorted(departments):
        o = departments[iri]
        G.add_node(iri, kind="department", label=_dept_label(organisations, written, iri), iri=iri,
                   pref_label=o["pref"] or iri, alt_labels=sorted(o["alt"]), collective=bool(o["collective"]))

    for iri in sorted(indicators, key=lambda i: (indicators[i]["doc"], _last_if_none(indicators[i]["start"]),
                                                 indicators[i]["id"] or "", i)):
        r = indicators[iri]
        owner = sections.get(r["owner"] or "")
        unit = r["unit"]
        G.add_node(iri, kind="indicator", label=f"{r['id'] or ''} {r['subject'] or ''}".strip() or iri, iri=iri,
                   indicator_id=r["id"], subject=r["subject"],
                   text=r["quote"] if r["quote"] is not None else r["statement"],
                   value=r["value"], value_max=r["valueMax"], unit="" if unit == "1" else unit,
                   comparator=_COMPARATOR_NAME.get(r["comparator"] or ""), year=r["year"],
                   per_year=bool(r["perYear"]), cumulative=bool(r["cumulative"]),
                   quantitative=bool(r["quantitative"]), owner=owner["path"] if owner else None,
                   document=r["doc"], start=r["start"], end=r["end"], unassigned=iri in unassigned)

    for iri in ordered:
        parent = sections[iri]["parent"]
        if parent in G:
            G.add_edge(iri, parent, key="part_of", kind="part_of")
        for u in attributions.get(iri, []):
            if not G.has_edge(iri, u["department"], key=u["role"]):
                G.add_edge(iri, u["department"], key=u["role"], kind=u["role"], written_as=u["written"],
                           position=u["position"])
    for iri in G.nodes:
        if G.nodes[iri]["kind"] != "indicator":
            continue
        owner = indicators[iri]["owner"]
        if owner in G and G.nodes[owner]["kind"] != "indicator":
            G.add_edge(owner, iri, key="has_indicator", kind="has_indicator")
    for a, b in same_as:
        if a in G and b in G:
            G.add_edge(a, b, key="same_as", kind="same_as")
    return G


def nodes_of_kind(G: nx.MultiDiGraph, kind: str) -> list[str]:
    """The nodes of one kind, in insertion order."""
    return [n for n, k in G.nodes(data="kind") if k == kind]


# -- reading the store -------------------------------------------------------------------------------------------


def _selector(graph: Graph | Queryable):
    """A function running SELECT text on the graph, giving rows of Python values: natively in its Oxigraph store,
    in an Oxigraph copy of any other rdflib graph, or through the query() of anything else that offers one (a
    remote SPARQL endpoint, graph/remote.py)."""
    if not isinstance(graph, Graph):
        def remote(query: str) -> list[dict[str, Any]]:
            result = graph.query(query)
            names = [str(v) for v in result.vars or []]
            return [{n: _py(to_ox(t)) if t is not None else None for n, t in zip(names, row, strict=True)}
                    for row in result]

        return remote
    store, kwargs = _oxigraph(graph)

    def select(query: str) -> list[dict[str, Any]]:
        result = store.query(query, **kwargs)
        names = [v.value for v in result.variables]
        return [{n: _py(t) for n, t in zip(names, solution, strict=True)} for solution in result]

    return select


def _oxigraph(graph: Graph) -> tuple[ox.Store, dict[str, Any]]:
    inner = getattr(graph.store, "_inner", None)
    if isinstance(inner, ox.Store):
        if isinstance(graph, ConjunctiveGraph):  # a dataset: its named graphs, as one
            return inner, {"use_default_graph_as_union": True}
        if graph.identifier == DATASET_DEFAULT_GRAPH_ID:
            return inner, {}
        return inner, {"default_graph": to_ox(graph.identifier)}
    store = ox.Store()
    triples = ((s, p, o) for s, p, o, _ in graph.quads()) if isinstance(graph, ConjunctiveGraph) else graph
    store.bulk_extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in triples)
    return store, {}


def _py(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == _XSD + "decimal":
            return int(term.value) if "." not in term.value else float(term.value)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(term.value)
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    return term.value  # a named node's IRI (blank nodes are not used by the graph)


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _first_rows(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """One row per key: the first, with each variable's smallest value where optional patterns multiplied rows
    (so the answer does not depend on the store's order)."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        seen = out.get(r[key])
        if seen is None:
            out[r[key]] = dict(r)
            continue
        for name, v in r.items():
            if v is not None and (seen[name] is None or _sort_key(v) < _sort_key(seen[name])):
                seen[name] = v
    return out


def _sort_key(v: Any) -> tuple[str, str]:
    return (type(v).__name__, str(v))


def _attributions(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each task's responsible units: the lead first, then co-operating units in the clause's order. A unit stated
    both qualified and as a shortcut is one unit; the qualified statement (with its name as written) wins."""
    by_key: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        role = _ROLE_NAME.get(r["role"] or "")
        if role is None:
            continue
        unit = {"department": r["department"], "role": role, "position": r["position"], "written": r["written"]}
        k = (r["task"], r["department"], role)
        if k not in by_key or _unit_rank(unit) < _unit_rank(by_key[k]):
            by_key[k] = unit
    out: dict[str, list[dict[str, Any]]] = {}
    for (task, _, _), unit in sorted(by_key.items(), key=lambda kv: (
            kv[0][0], kv[0][2] != "lead", _last_if_none(kv[1]["position"]), kv[0][1])):
        out.setdefault(task, []).append(unit)
    return out


def _unit_rank(unit: dict[str, Any]) -> tuple[bool, tuple[int, int], str]:
    return (unit["written"] is None, _last_if_none(unit["position"]), unit["written"] or "")


def _organisations(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        o = out.setdefault(r["org"], {"pref": None, "alt": set(), "collective": False})
        if r["pref"] is not None and (o["pref"] is None or r["pref"] < o["pref"]):
            o["pref"] = r["pref"]
        if r["alt"] is not None:
            o["alt"].add(r["alt"])
        o["collective"] = o["collective"] or bool(r["collective"])
    for o in out.values():
        o["alt"].discard(o["pref"])
    return out


def _dept_label(organisations: dict[str, dict[str, Any]], written: dict[str, Counter[str]], iri: str) -> str:
    counts = written.get(iri)
    if counts:
        return min(counts, key=lambda name: (-counts[name], -len(name), name))
    o = organisations.get(iri)
    if o is None:
        return iri
    if o["alt"]:
        return min(o["alt"], key=lambda name: (-len(name), name))
    return o["pref"] or iri


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _last_if_none(v: int | None) -> tuple[int, int]:
    return (1, 0) if v is None else (0, v)
