"""Loading graphs for querying: rdflib's API over an Oxigraph store (oxrdflib), so SPARQL runs natively.

A GRAPH argument is a build output directory or a graph file (.ttl .nt .nq .trig .jsonld). The ontology is
loaded beside the data (in its own named graph) so queries can use its labels and code lists. Queries see the
RDF merge of all graphs as their default graph (a copy, so a triple two documents share is one triple);
GRAPH ?g still reaches each document's named graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from policykg.errors import InputError
from policykg.graph.iris import ONTOLOGY, PREFIXES
from policykg.graph.serialize import from_ox, quads_of, to_ox

FORMAT_NAME = {".ttl": "Turtle", ".nt": "N-Triples", ".nq": "N-Quads", ".trig": "TriG", ".jsonld": "JSON-LD",
               ".json": "JSON-LD"}
FORMAT_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
# In a build directory, the richest format first: the quad formats keep one named graph per document.
GRAPH_FILES = ("graph.nq", "graph.trig", "graph.ttl", "graph.nt", "graph.jsonld")


def ontology_path(name: str = "qb.ttl") -> Path:
    """A file of ontology/ (installed as package data)."""
    return Path(str(resources.files("policykg").joinpath("ontology", name)))


def graph_file(path: str) -> Path:
    """The graph file a GRAPH argument names; InputError when there is none."""
    p = Path(path)
    if p.is_dir():
        for name in GRAPH_FILES:
            if (p / name).is_file():
                return p / name
        raise InputError(f"{path}: no graph file in this directory (expected one of {', '.join(GRAPH_FILES)}; "
                         "write one with: policykg build DOCUMENT -o DIR)")
    if not p.exists():
        raise InputError(f"{path}: no such file or directory")
    if p.suffix.lower() not in FORMAT_BY_SUFFIX:
        raise InputError(f"{path}: not a graph file (expected .ttl, .nt, .nq, .trig or .jsonld, "
                         "or a build output directory)")
    return p


def open_store(path: str) -> Graph:
    """The graph at path (and the ontology) in Oxigraph, behind rdflib's API; an http(s) URL is a remote
    SPARQL endpoint, queried in place (graph/remote.py)."""
    if path.startswith(("http://", "https://")):
        from policykg.graph.remote import RemoteGraph

        return RemoteGraph(path)  # type: ignore[return-value]  # offers the query() the commands use
    file = graph_file(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(file), format=FORMAT_BY_SUFFIX[file.suffix.lower()])
    except SyntaxError as exc:
        raise InputError(f"{file}: not valid {FORMAT_NAME[file.suffix.lower()]} ({_one_line(exc)})") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    _load_ontology(store)
    return as_graph(store)


def store_of(data: Graph | Mapping[str, Graph], with_ontology: bool = True) -> Graph:
    """An in-memory graph, or graphs by name, copied into Oxigraph (with the ontology unless told not)."""
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)) if g is not None else ox.DefaultGraph())
        for s, p, o, g in quads_of(data)
    )
    if with_ontology:
        _load_ontology(store)
    return as_graph(store)


def _load_ontology(store: ox.Store) -> None:
    store.bulk_load(path=str(ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY))


def _merge_into_default(store: ox.Store) -> None:
    """Copy every named graph's triples into the default graph: their RDF merge, each triple once. The copy is one
    SPARQL update, so it runs inside Oxigraph (copying quad by quad through Python took most of the load time)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


def as_graph(store: ox.Store) -> Graph:
    """The store as the commands query it: the RDF merge of its named graphs copied into its default graph, and
    that as an rdflib Graph whose queries and updates run in Oxigraph and reach the named graphs through GRAPH."""
    _merge_into_default(store)
    g = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    for prefix, ns in PREFIXES.items():  # so queries may use pkg:, qb:, oa: … without declaring them
        g.bind(prefix, ns, override=True)
    return g


def load_memory(path: str) -> Graph:
    """The graph at path merged into one plain in-memory rdflib graph (what pyshacl works on)."""
    file = graph_file(path)
    g = Graph()
    try:
        for quad in ox.parse(path=str(file), format=FORMAT_BY_SUFFIX[file.suffix.lower()]):
            g.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    except SyntaxError as exc:
        raise InputError(f"{file}: not valid {FORMAT_NAME[file.suffix.lower()]} ({_one_line(exc)})") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror or exc})") from None
    return g


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
