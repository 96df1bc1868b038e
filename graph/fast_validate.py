"""SHACL validation at corpus scale: ontology/shapes.ttl compiled to SPARQL and run natively in Oxigraph.

pyshacl evaluates every constraint node by node in Python (and re-parses each SHACL-SPARQL query for every focus
node), which takes about a second per document and grows faster than the graph. This module reads the same
shapes file and turns each constraint into one SPARQL query over the whole graph, answered by Oxigraph:

    shapes.ttl --compile()--> [Check(query, severity, path, message)] --run in Oxigraph--> Report

The shapes file stays the source of truth: nothing here names a class or a property of the model. The
constraint components the compiler understands are the ones SHACL Core and SHACL-SPARQL define for what the
project's shapes use (targets: class (with rdfs:subClassOf), subjectsOf, objectsOf, node, implicit class;
minCount, maxCount, datatype, class, in, hasValue, nodeKind, uniqueLang, lessThan(OrEquals), equals, disjoint,
min/maxInclusive, min/maxExclusive, min/maxLength, pattern, or/and/not over value-level shapes,
qualifiedValueShape with qualifiedMin/MaxCount, sh:sparql SELECT constraints; predicate, sequence, inverse,
alternative and */+/? paths). A shape using anything else raises `Unsupported`, and `validate_auto` then falls
back to pyshacl, so a new kind of rule can never be skipped silently. tests/test_fast_validate.py checks that
the findings equal pyshacl's on the example's graph and on deliberately broken graphs.

As with `graph.validate.validate`, the data is validated together with the ontology (ontology/qb.ttl, for
rdfs:subClassOf), and nothing is fetched.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from policykg.graph import iris
from policykg.graph.validate import SEVERITY, Finding, Report, load_shapes

SH = Namespace("http://www.w3.org/ns/shacl#")
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
# documents at or above this size are validated here rather than by pyshacl (see validate_auto)
FAST_THRESHOLD = 5

# lexical forms of the XSD types whose ill-formed literals must fail sh:datatype (SHACL 4.1.2)
_LEXICAL = {
    str(XSD.integer): r"^[+-]?[0-9]+$",
    str(XSD.nonNegativeInteger): r"^(\+?[0-9]+|-0+)$",
    str(XSD.positiveInteger): r"^\+?0*[1-9][0-9]*$",
    str(XSD.decimal): r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    str(XSD.boolean): r"^(true|false|1|0)$",
    str(XSD.date): r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
# Oxigraph stores the integer types derived from xsd:integer as xsd:integer ("5"^^xsd:nonNegativeInteger comes
# back as "5"^^xsd:integer), so an sh:datatype naming one of them is checked before the triples enter the store
_DERIVED_INTEGERS = {str(XSD[t]): low for t, low in (
    ("nonNegativeInteger", 0), ("positiveInteger", 1), ("nonPositiveInteger", None), ("negativeInteger", None),
    ("long", None), ("int", None), ("short", None), ("byte", None), ("unsignedLong", 0), ("unsignedInt", 0),
    ("unsignedShort", 0), ("unsignedByte", 0))}
_IGNORED = {  # SHACL terms that are not constraint parameters: targets, paths, report text, documentation
    RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.path, SH.severity,
    SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue, SH.deactivated, RDFS.label,
    RDFS.comment, SH.declare, SH.qualifiedValueShapesDisjoint,
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this compiler does not translate (validate_auto falls back to pyshacl)."""


@dataclass(frozen=True)
class Check:
    """One constraint as one SPARQL query: ?this (the focus node) and, when the component reports one, ?value."""

    shape: str
    component: str
    severity: str
    path: str  # as validate.Report shows it
    message: str  # sh:message, else pyshacl's generic message ({$this}: the focus node)
    query: str
    # sh:datatype on a plain predicate with a datatype Oxigraph stores as xsd:integer: (predicate, datatype),
    # checked on the triples before they enter the store (see Prepared); the query then lists the focus nodes
    side: tuple[str, str] | None = None
    store_only: bool = False  # the value-space stand-in for a side check, run only on a bare Store


# ----------------------------------------------------------------------------------------------------------
# compiling
# ----------------------------------------------------------------------------------------------------------


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3()
    raise Unsupported(f"a blank node where SHACL expects an IRI or a literal: {term!r}")


def _string(text: str) -> str:
    """A SPARQL string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


Subclasses = Callable[[str], list[str]]  # a class -> it and every class rdfs:subClassOf* it


class _Compiler:
    def __init__(self, shapes: Graph, subclasses: Subclasses | None = None) -> None:
        self.g = shapes
        self.subclasses = subclasses
        self.fresh = 0

    def _instance(self, var: str, cls: Node) -> str:
        """A SHACL instance of cls: rdf:type/rdfs:subClassOf*. With the class hierarchy known in advance (the
        ontology's), the subclasses are listed instead of walked for every node."""
        if self.subclasses is None or not isinstance(cls, URIRef):
            return f"{var} <{RDF.type}>/<{RDFS.subClassOf}>* {_n3(cls)} ."
        classes = self.subclasses(str(cls))
        if len(classes) == 1:
            return f"{var} <{RDF.type}> <{classes[0]}> ."
        self.fresh += 1
        k = f"?_class{self.fresh}"
        return f"VALUES {k} {{ {' '.join(f'<{c}>' for c in classes)} }} {var} <{RDF.type}> {k} ."

    def value(self, node: Node, prop: URIRef) -> Node | None:
        return self.g.value(node, prop)

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.g, node))

    # ---- paths -----------------------------------------------------------------------------------------

    def path(self, node: Node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self.path(p) for p in self.items(node)) + ")"
        for prop, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                          (SH.zeroOrOnePath, "{}?")):
            inner = self.value(node, prop)
            if inner is not None:
                return "(" + fmt.format(self.path(inner)) + ")"
        alt = self.value(node, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(p) for p in self.items(alt)) + ")"
        raise Unsupported(f"a property path this compiler does not know: {node!r}")

    def path_text(self, node: Node | None) -> str:
        """The path as validate.Report shows it (as pyshacl reports sh:resultPath)."""
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return iris.display(str(node))
        if (node, RDF.first, None) in self.g:
            return "/".join(iris.display(str(p)) for p in self.items(node))
        return self.path(node)

    # ---- targets ---------------------------------------------------------------------------------------

    def focus(self, shape: Node) -> str | None:
        """A group binding ?this to each focus node of shape once; None when the shape has no target."""
        parts: list[str] = []
        for cls in self.g.objects(shape, SH.targetClass):
            parts.append(self._instance("?this", cls))
        if (shape, RDF.type, RDFS.Class) in self.g:
            parts.append(self._instance("?this", shape))
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {_n3(p)} [] .")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            parts.append(f"[] {_n3(p)} ?this .")
        nodes = list(self.g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(_n3(n) for n in nodes) + " }")
        if not parts:
            return None
        if len(parts) == 1 and "VALUES" not in parts[0]:
            # one triple pattern: a focus node may repeat (one row per value of a targetSubjectsOf property),
            # which every query below tolerates (counts are DISTINCT, findings a set)
            return parts[0]
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    # ---- value-level conditions (for sh:or, sh:and, sh:not, sh:qualifiedValueShape) -------------------

    def condition(self, shape: Node, var: str) -> str:
        """A SPARQL expression true when the node in var conforms to shape (a shape without property shapes)."""
        terms: list[str] = []
        for p, o in self.g.predicate_objects(shape):
            if _skip(p):
                continue
            expr = self.value_expression(p, o, var, shape)
            if expr is None:
                raise Unsupported(f"{p} inside a value shape")
            terms.append(expr)
        return "(" + " && ".join(terms) + ")" if terms else "true"

    def value_expression(self, p: Node, o: Node, var: str, shape: Node) -> str | None:
        """The expression a value-level constraint component requires of the node in var; None if not one."""
        if p == SH.datatype:
            if str(o) in _DERIVED_INTEGERS:  # all the store can still tell: an integer in the type's value space
                low = _DERIVED_INTEGERS[str(o)]
                bound = f" && {var} >= {low}" if low is not None else ""
                return f"(isLiteral({var}) && DATATYPE({var}) = <{XSD.integer}>{bound})"
            lexical = _LEXICAL.get(str(o))
            check = f" && REGEX(STR({var}), {_string(lexical)})" if lexical else ""
            return f"(isLiteral({var}) && DATATYPE({var}) = {_n3(o)}{check})"
        if p == SH["class"]:
            return f"EXISTS {{ {self._instance(var, o)} }}"
        if p == SH["in"]:
            return "(" + " || ".join(f"sameTerm({var}, {_n3(x)})" for x in self.items(o)) + ")" \
                if self.items(o) else "false"
        if p == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({var})", SH.Literal: f"isLiteral({var})", SH.BlankNode: f"isBlank({var})",
                SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
                SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
                SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
            }
            return kinds[o]
        if p in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive):
            op = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}[p]
            return f"COALESCE({var} {op} {_n3(o)}, false)"
        if p in (SH.minLength, SH.maxLength):
            op = ">=" if p == SH.minLength else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {op} {int(o)})"
        if p == SH.pattern:
            flags = self.value(shape, SH.flags)
            return f"(!isBlank({var}) && REGEX(STR({var}), {_string(str(o))}" + \
                (f", {_string(str(flags))}" if flags is not None else "") + "))"
        if p == SH.hasValue:
            return f"sameTerm({var}, {_n3(o)})"
        if p == SH["or"]:
            return "(" + " || ".join(self.condition(s, var) for s in self.items(o)) + ")"
        if p == SH["and"]:
            return "(" + " && ".join(self.condition(s, var) for s in self.items(o)) + ")"
        if p == SH["not"]:
            return f"!{self.condition(o, var)}"
        if p == SH.flags:
            return "true"
        return None

    # ---- checks --------------------------------------------------------------------------------------

    def compile(self) -> list[Check]:
        checks: list[Check] = []
        shapes = set(self.g.subjects(RDF.type, SH.NodeShape)) | {
            s for p in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
            for s in self.g.subjects(p, None)}
        for shape in sorted(shapes, key=str):
            if self.value(shape, SH.deactivated) == Literal(True):
                continue
            focus = self.focus(shape)
            if focus is None:
                continue
            checks += self.node_checks(shape, focus)
            for prop in self.g.objects(shape, SH.property):
                if self.value(prop, SH.deactivated) == Literal(True):
                    continue
                checks += self.property_checks(shape, prop, focus)
        return checks

    def _severity(self, node: Node) -> str:
        return SEVERITY.get(self.value(node, SH.severity), "violation")

    def _message(self, node: Node) -> str | None:
        m = self.value(node, SH.message)
        return str(m) if m is not None else None

    def node_checks(self, shape: Node, focus: str) -> list[Check]:
        """Constraints on the focus node itself (value node = focus node)."""
        out: list[Check] = []
        severity, message = self._severity(shape), self._message(shape)
        name = iris.display(str(shape)) if isinstance(shape, URIRef) else "a node shape"
        for p, o in sorted(self.g.predicate_objects(shape), key=lambda po: (str(po[0]), str(po[1]))):
            if _skip(p) or p == SH.property:
                continue
            if p == SH.sparql:
                out.append(self.sparql_check(shape, o, focus, "", severity))
                continue
            if p == SH.flags:
                continue
            expr = self.value_expression(p, o, "?this", shape)
            if expr is None:
                raise Unsupported(f"{p} on node shape {name}")
            out.append(Check(name, _local(p), severity, "", message or self.generic(_local(p), o, None, name),
                             f"SELECT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!{expr}) }}"))
        return out

    def property_checks(self, shape: Node, prop: Node, focus: str) -> list[Check]:
        path_node = self.value(prop, SH.path)
        if path_node is None:
            raise Unsupported("a property shape without sh:path")
        path = self.path(path_node)
        shown = self.path_text(path_node)
        severity, message = self._severity(prop), self._message(prop)
        name = iris.display(str(shape)) if isinstance(shape, URIRef) else "a node shape"
        out: list[Check] = []

        for p, o in sorted(self.g.predicate_objects(prop), key=lambda po: (str(po[0]), str(po[1]))):
            if _skip(p) or p in (SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.flags):
                continue

            def check(component: str, query: str, param: Node = o, **kw: object) -> None:
                text = message or self.generic(component, param, path_node, name)
                out.append(Check(name, component, severity, shown, text, query, **kw))  # type: ignore[arg-type]

            if p == SH.minCount:
                n = int(o)
                if n == 1:
                    check("minCount", f"SELECT ?this WHERE {{ {focus} FILTER NOT EXISTS {{ ?this {path} ?v }} }}")
                elif n > 1:
                    check("minCount", f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} "
                                      f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})")
            elif p == SH.maxCount:
                check("maxCount", f"SELECT ?this WHERE {{ {focus} ?this {path} ?v }} "
                                  f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(o)})")
            elif p == SH.uniqueLang:
                if o == Literal(True):
                    check("uniqueLang", f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this ?lang WHERE {{ {focus} "
                                        f"?this {path} ?v FILTER (isLiteral(?v) && LANG(?v) != \"\") "
                                        f"BIND (LCASE(LANG(?v)) AS ?lang) }} GROUP BY ?this ?lang "
                                        f"HAVING (COUNT(DISTINCT ?v) > 1) }} }}")
            elif p in (SH.lessThan, SH.lessThanOrEquals):
                op = "<" if p == SH.lessThan else "<="
                check(_local(p), f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . "
                                 f"?this {_n3(o)} ?other FILTER (!COALESCE(?value {op} ?other, false)) }}")
            elif p == SH.equals:
                check("equals", f"SELECT DISTINCT ?this ?value WHERE {{ {focus} "
                                f"{{ ?this {path} ?value FILTER NOT EXISTS {{ ?this {_n3(o)} ?value }} }} UNION "
                                f"{{ ?this {_n3(o)} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}")
            elif p == SH.disjoint:
                check("disjoint", f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value . "
                                  f"?this {_n3(o)} ?value }}")
            elif p == SH.qualifiedValueShape:
                cond = self.condition(o, "?v")
                low, high = self.value(prop, SH.qualifiedMinCount), self.value(prop, SH.qualifiedMaxCount)
                if low is not None:
                    check("qualifiedMinCount", f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v "
                                               f"FILTER ({cond}) }} }} GROUP BY ?this "
                                               f"HAVING (COUNT(DISTINCT ?v) < {int(low)})")
                if high is not None:
                    check("qualifiedMaxCount", f"SELECT ?this WHERE {{ {focus} ?this {path} ?v FILTER ({cond}) }} "
                                               f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(high)})")
            elif p == SH.sparql:
                out.append(self.sparql_check(shape, o, focus, shown, severity))
            elif p == SH.datatype and str(o) in _DERIVED_INTEGERS and isinstance(path_node, URIRef):
                check("datatype", f"SELECT ?this WHERE {{ {focus} VALUES ?this {{ {{subjects}} }} }}",
                      side=(str(path_node), str(o)))
                expr = self.value_expression(p, o, "?value", prop)
                check("datatype", f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                                  f"FILTER (!{expr}) }}", store_only=True)
            else:
                expr = self.value_expression(p, o, "?value", prop)
                if expr is None:
                    raise Unsupported(f"{p} on a property shape of {name}")
                # sh:or, sh:and and sh:not report the value node like the value-level components
                check(_local(p), f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {path} ?value "
                                 f"FILTER (!{expr}) }}")
        return out

    def generic(self, component: str, param: Node, path: Node | None, shape: str) -> str:
        """pyshacl's message for a constraint without sh:message ({$this} stands for the focus node)."""
        nm = self.g.namespace_manager
        shown = (path.n3(nm) if isinstance(path, URIRef) else self.path_text(path)) if path is not None else None
        where = "{$this}" + (f"->{shown}" if shown else "")
        param_text = param.n3(nm) if isinstance(param, (URIRef, Literal)) else str(param)
        if component == "minCount":
            return f"Less than {param} values on {where}"
        if component == "maxCount":
            return f"More than {param} values on {where}"
        if component == "datatype":
            return f"Value is not Literal with datatype {param_text}"
        if component == "class":
            return f"Value does not have class {param_text}"
        if component == "nodeKind":
            return f"Value is not of Node Kind {param_text}"
        return f"{component} constraint of {shape} not met on {where}"

    def sparql_check(self, shape: Node, constraint: Node, focus: str, shown: str, severity: str) -> Check:
        """A SHACL-SPARQL SELECT constraint: $this pre-bound to each focus node becomes a join with the targets.

        The focus group is placed first inside the query's outermost WHERE group, so every FILTER of that group
        (FILTER NOT EXISTS { $this … } included) sees ?this bound, as with pre-binding."""
        if self.value(constraint, SH.deactivated) == Literal(True):
            return Check("", "sparql", severity, shown, None, "SELECT ?this WHERE { FILTER (false) }")
        select = self.value(constraint, SH.select)
        if select is None:
            raise Unsupported("an sh:sparql constraint without sh:select")
        text = str(select)
        if re.search(r"\$(PATH|currentShape|shapesGraph)\b", text):
            raise Unsupported("an sh:sparql constraint using $PATH, $currentShape or $shapesGraph")
        text = _not_exists_as_minus(re.sub(r"\$this\b", "?this", text))
        at = re.search(r"\bWHERE\s*\{", text, flags=re.IGNORECASE)
        if at is None:
            raise Unsupported("an sh:sparql SELECT without WHERE {")
        text = text[:at.end()] + f" {focus} " + text[at.end():]
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.declared_prefixes(constraint))
        # sh:severity is a parameter of shapes, not of SPARQL-based constraints: a severity written on the
        # constraint node is ignored, as pyshacl ignores it (the shape's severity applies)
        message = self._message(constraint) or self._message(shape)
        name = iris.display(str(shape)) if isinstance(shape, URIRef) else "a node shape"
        return Check(name, "sparql", severity, shown, message, prefixes + text)

    def declared_prefixes(self, constraint: Node) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for source in self.g.objects(constraint, SH.prefixes):
            for decl in self.g.objects(source, SH.declare):
                prefix, ns = self.value(decl, SH.prefix), self.value(decl, SH.namespace)
                if prefix is not None and ns is not None:
                    out.append((str(prefix), str(ns)))
        return out


def _skip(p: Node) -> bool:
    """Not a constraint parameter: targets, paths, report text, and every triple outside the SHACL namespace."""
    return p in _IGNORED or not str(p).startswith(str(SH))


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


def compile_shapes(shapes: Graph, subclasses: Subclasses | None = None) -> list[Check]:
    """Every constraint of a shapes graph as a SPARQL query; Unsupported when a shape uses another feature.
    subclasses, when given, is the class hierarchy of the data (else the queries walk rdfs:subClassOf*)."""
    return _Compiler(shapes, subclasses).compile()


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{([^{}]*)\}", re.IGNORECASE)
_COMPLEX = re.compile(r"\b(FILTER|OPTIONAL|BIND|VALUES|GRAPH|UNION|MINUS|SERVICE|SELECT|EXISTS)\b", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _not_exists_as_minus(query: str) -> str:
    """FILTER NOT EXISTS { P } -> MINUS { P } where the two are equivalent (SPARQL 1.1, 8.3): P is triple patterns
    only, and the WHERE group around it is triple patterns only (so each variable P shares with it is bound) and
    shares a variable with P. Oxigraph plans a NOT EXISTS without the outer bindings, which costs a scan of P
    per solution; MINUS is a hash anti-join. Anything else is left as written."""
    at = re.search(r"\bWHERE\s*\{", query, flags=re.IGNORECASE)
    if at is None or not query.rstrip().endswith("}"):
        return query
    body = query[at.end():query.rstrip().rfind("}")]
    blocks = list(_NOT_EXISTS.finditer(body))
    if not blocks:
        return query
    outer = _NOT_EXISTS.sub(" ", body)
    if "{" in outer or _COMPLEX.search(outer):
        return query
    outer_vars = set(_VARIABLE.findall(outer))
    for m in blocks:
        if _COMPLEX.search(m.group(1)) or not set(_VARIABLE.findall(m.group(1))) & outer_vars:
            return query
    return query[:at.end()] + _NOT_EXISTS.sub(lambda m: f"MINUS {{{m.group(1)}}}", body) + \
        query[at.end() + len(body):]


# ----------------------------------------------------------------------------------------------------------
# running
# ----------------------------------------------------------------------------------------------------------


# (predicate, datatype) -> the subject (in N-Triples) -> the values, shown, that are not of that datatype
Offending = dict[tuple[str, str], dict[str, list[str]]]


@dataclass
class Prepared:
    """A store to validate (the data's and the ontology's triples in named graphs whose union the queries take
    as their default graph, or, without union, all in the default graph) and the values that failed a datatype
    the store cannot keep."""

    store: ox.Store
    offending: Offending | None
    hierarchy_in_data: bool = True  # the data may extend the class hierarchy: walk rdfs:subClassOf* in it
    union: bool = False  # the data is in named graphs: the default graph is their union


class Validator:
    """The compiled shapes, ready to validate any number of graphs."""

    def __init__(self, shapes_path: str | None = None) -> None:
        from policykg.graph.store import ontology_path

        self.shapes, self.shapes_name = load_shapes(shapes_path)
        self.ontology = ox.Store()
        self.ontology.bulk_load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
        # the checks for data that adds nothing to the ontology's class hierarchy (what build.py writes), and,
        # compiled when needed, the checks that walk rdfs:subClassOf* in the data
        self.checks = compile_shapes(self.shapes, self._subclasses)
        self._walking: list[Check] | None = None
        self.watched: dict[str, list[str]] = {}
        for c in self.checks:
            if c.side is not None:
                self.watched.setdefault(c.side[0], []).append(c.side[1])

    @functools.cache  # noqa: B019 - one Validator per shapes file, kept for the process
    def _subclasses(self, cls: str) -> list[str]:
        rows = self.ontology.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}")
        return sorted({cls} | {r["c"].value for r in rows if isinstance(r["c"], ox.NamedNode)})

    def checks_for(self, prepared: Prepared) -> list[Check]:
        if not prepared.hierarchy_in_data:
            return self.checks
        if self._walking is None:
            self._walking = compile_shapes(self.shapes)
        return self._walking

    def prepare(self, data: Graph | Mapping[str, Graph] | Iterable[tuple[Node, Node, Node, Node | None]]) -> Prepared:
        """Load the data into a fresh store, checking the watched datatypes on the way."""
        from policykg.graph.serialize import to_ox
        from policykg.graph.store import ontology_path

        offending: Offending = {}
        hierarchy = [False]
        watched = {URIRef(p): [(d, URIRef(d), _LEXICAL.get(d)) for d in ds] for p, ds in self.watched.items()}

        def quads() -> Iterable[ox.Quad]:
            # named graphs queried as their union: faster in Oxigraph than one merged default graph (12 s
            # against 23 s for the checks of 1,000 documents, bench/README.md)
            lone = ox.NamedNode("urn:x-policykg:validated-graph")
            for s, p, o, g in _quads(data):
                if p == RDFS.subClassOf:
                    hierarchy[0] = True
                datatypes = watched.get(p)  # type: ignore[call-overload]
                if datatypes:
                    for name, dt, _ in datatypes:
                        if not (isinstance(o, Literal) and o.datatype == dt and _well_formed(str(o), name)):
                            offending.setdefault((str(p), name), {}).setdefault(str(to_ox(s)), []).append(
                                iris.display(str(o)))
                yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)) if g is not None else lone)

        store = ox.Store()
        store.bulk_extend(quads())
        store.bulk_load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iris.ONTOLOGY))
        return Prepared(store, offending, hierarchy[0], union=True)

    def prepare_nquads(self, files: Iterable[str | Path]) -> Prepared:
        """Load N-Quads files (a corpus build's per-document graphs): see prepare_nquads_data."""
        return self.prepare_nquads_data(Path(f).read_bytes() for f in files)

    def prepare_nquads_data(self, documents: Iterable[bytes]) -> Prepared:
        """Load N-Quads (one document's graph per item) with Oxigraph's own parser; the watched datatypes are
        read off the lines that state them, before the store canonicalises the literals."""
        from policykg.graph.store import ontology_path

        store = ox.Store()
        offending: Offending = {}
        predicates = {f"<{p}>".encode(): p for p in self.watched}
        hierarchy = f"<{RDFS.subClassOf}>".encode()
        in_data = False
        for data in documents:
            store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            in_data = in_data or hierarchy in data
            lines = b"\n".join(line for line in data.splitlines() if any(p in line for p in predicates))
            if not lines:
                continue
            for q in ox.parse(lines, format=ox.RdfFormat.N_QUADS):
                for name in self.watched.get(q.predicate.value, []):
                    o = q.object
                    if not (isinstance(o, ox.Literal) and o.datatype.value == name and _well_formed(o.value, name)):
                        offending.setdefault((q.predicate.value, name), {}).setdefault(str(q.subject), []).append(
                            iris.display(o.value))
        store.bulk_load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iris.ONTOLOGY))
        return Prepared(store, offending, in_data, union=True)

    def run(self, prepared: Prepared | ox.Store) -> Report:
        """Every check on the prepared data; a bare Store (literals already canonicalised by Oxigraph) gets the
        value-space form of the watched datatype checks only."""
        if isinstance(prepared, ox.Store):
            prepared = Prepared(prepared, None, union=True)
        findings: set[Finding] = set()
        for c in self.checks_for(prepared):
            if c.side is not None:
                findings |= self._side(prepared, c)
                continue
            if c.store_only and prepared.offending is not None:
                continue
            solutions = prepared.store.query(c.query, use_default_graph_as_union=prepared.union)
            names = {v.value for v in solutions.variables}
            for row in solutions:
                focus = row["this"]
                value = row["value"] if "value" in names else None
                findings.add(self._finding(c, _display(focus), _display(value) if value is not None else "", focus))
        ordered = sorted(findings, key=lambda f: (f.severity != "violation", f.focus, f.path, f.message, f.value))
        return Report(not any(f.severity == "violation" for f in ordered), self.shapes_name, ordered)

    def _side(self, prepared: Prepared, c: Check) -> set[Finding]:
        if prepared.offending is None or c.side is None:
            return set()
        bad = prepared.offending.get(c.side, {})
        if not bad:
            return set()
        out: set[Finding] = set()
        query = c.query.replace("{subjects}", " ".join(bad))
        for row in prepared.store.query(query, use_default_graph_as_union=prepared.union):
            for value in bad.get(str(row["this"]), []):
                out.add(self._finding(c, _display(row["this"]), value, row["this"]))
        return out

    @staticmethod
    def _finding(c: Check, focus: str, value: str, node: ox.NamedNode | ox.Literal | ox.BlankNode) -> Finding:
        message = c.message or ""
        if "{$this}" in message:
            message = message.replace("{$this}", f"<{node.value}>" if isinstance(node, ox.NamedNode) else str(node))
        return Finding(severity=c.severity, focus=focus, path=c.path, value=value, message=message)

    def validate(self, data: Graph | Mapping[str, Graph] | ox.Store) -> Report:
        return self.run(data if isinstance(data, ox.Store) else self.prepare(data))


def _quads(data: Graph | Mapping[str, Graph] | Iterable[tuple[Node, Node, Node, Node | None]],
           ) -> Iterable[tuple[Node, Node, Node, Node | None]]:
    if isinstance(data, Graph):
        for s, p, o in data:
            yield s, p, o, None
    elif isinstance(data, Mapping):
        for name, g in data.items():
            graph = URIRef(str(name))
            for s, p, o in g:
                yield s, p, o, graph
    else:
        yield from data


def _well_formed(lexical: str, datatype: str) -> bool:
    pattern = _LEXICAL.get(datatype) or _LEXICAL[str(XSD.integer)]
    if not re.fullmatch(pattern.strip("^$"), lexical):
        return False
    low = _DERIVED_INTEGERS.get(datatype)
    return low is None or int(lexical) >= low


def _display(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return iris.display(term.value)


def validate_fast(data: Graph | Mapping[str, Graph] | ox.Store, shapes_path: str | None = None) -> Report:
    """validate.validate's report, computed by SPARQL in Oxigraph (see Validator.run for a bare Store)."""
    return Validator(shapes_path).validate(data)


def validate_auto(data: Graph | Mapping[str, Graph], documents: int, shapes_path: str | None = None,
                  threshold: int = FAST_THRESHOLD) -> Report:
    """pyshacl below `threshold` documents; at or above it the compiled SPARQL checks (pyshacl when the shapes
    use a feature the compiler does not translate)."""
    from policykg.graph.validate import validate

    if documents >= threshold:
        try:
            return validate_fast(data, shapes_path)
        except Unsupported:
            pass
    if isinstance(data, Mapping):
        merged = Graph()
        for g in data.values():
            for t in g:
                merged.add(t)
        data = merged
    return validate(data, shapes_path)


def explain(shapes_path: str | None = None) -> str:
    """The compiled queries, for reading (python -m policykg.graph.fast_validate)."""
    shapes, _ = load_shapes(shapes_path)
    out = []
    for c in compile_shapes(shapes):
        out.append(f"# {c.shape} {c.path or '(node)'} {c.component} [{c.severity}]\n{c.query}\n")
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    print(explain(sys.argv[1] if len(sys.argv) > 1 else None))


__all__ = ["FAST_THRESHOLD", "Check", "Prepared", "Unsupported", "Validator", "compile_shapes", "explain",
           "validate_auto", "validate_fast"]
