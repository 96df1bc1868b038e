"""Deterministic IRIs for everything the graph says.

Global things (departments, indicator subjects, periods, units) are named by what they are, so the graphs of
many documents merge on them; document-local things (sections, tasks, indicators, data sets) are minted under
the document's IRI. Every key is NFKC-normalised (so `（一）` and `(一)` name the same section) and then
percent-encoded as UTF-8 outside RFC 3986's unreserved set, which keeps the IRIs plain ASCII: valid in every
RDF syntax and safe in any tool.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote, unquote

BASE = "https://w3id.org/policykg/"
NS = BASE + "ns#"  # the ontology (ontology/qb.ttl)
ID = BASE + "id/"  # the things it describes
ONTOLOGY = BASE + "ns"

PREFIXES: dict[str, str] = {
    "pkg": NS,
    "qb": "http://purl.org/linked-data/cube#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def key(text: str) -> str:
    """One IRI path segment for a name: NFKC, trimmed, percent-encoded (never empty)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return quote(folded, safe="") or "-"


def path_key(path: str) -> str:
    """A section path 三/（一）/1 as IRI segments 三/(一)/1, each percent-encoded."""
    return "/".join(key(seg) for seg in unicodedata.normalize("NFKC", path).split("/"))


def document(doc_number: str | None, text: str) -> str:
    """A document by its number (unique per issuer), else by the digest of its text."""
    if doc_number and doc_number.strip():
        return f"{ID}doc/{key(doc_number)}"
    return f"{ID}doc/sha256-{text_digest(text)[:16]}"


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def section(doc: str, path: str) -> str:
    return f"{doc}/section/{path_key(path)}"


def indicator(doc: str, ident: str) -> str:
    return f"{doc}/indicator/{key(ident)}"


def dataset(doc: str, kind: str) -> str:
    return f"{doc}/dataset/{kind}"


def goal_scheme(doc: str) -> str:
    return f"{doc}/goals"


_PLACE_FROM_ISSUER = re.compile(r"^(.+?[省市区县])人民政府")


def place_of_issuer(issuer: str | None) -> str | None:
    """The place a people's government or its office issues for: 苏州市人民政府办公室 -> 苏州市."""
    m = _PLACE_FROM_ISSUER.match(issuer or "")
    return m.group(1) if m else None


def organisation(canonical: str | None, name: str, place: str | None, doc: str, collective: bool = False) -> str:
    """A department by its canonical name everywhere; without one, by its name within its place (市质监局 in
    苏州市), and failing that within its document, because 市X局 means a different bureau in every city. A
    collective unit (各区人民政府) is always named within its place: it stands for other units in every city."""
    if canonical and canonical.strip():
        if not collective:
            return f"{ID}org/{key(canonical)}"
        name = canonical
    if place and place.strip():
        return f"{ID}org/{key(place)}/{key(name)}"
    return f"{doc}/org/{key(name)}"


def subject(text: str) -> str:
    return f"{ID}subject/{key(text)}"


def period(year: int | None) -> str:
    return f"{ID}period/{year}" if year is not None else f"{ID}period/unspecified"


def unit(text: str | None) -> str:
    """A unit as written; none written (指数高于90, 1/5) is the dimensionless unit `1`."""
    return f"{ID}unit/{key(text)}" if text and text.strip() else f"{ID}unit/1"


SUBJECT_SCHEME = f"{ID}scheme/subject"
PERIOD_SCHEME = f"{ID}scheme/period"
UNIT_SCHEME = f"{ID}scheme/unit"

_COMPACT = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
_SAFE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def display(iri: str) -> str:
    """A short readable form of an IRI for people: pkg:LeadRole, or the decoded path under the id space."""
    if iri.startswith(ID):
        return unquote(iri[len(ID):])
    for prefix, ns in _COMPACT:
        if iri.startswith(ns) and _SAFE_LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return iri
