"""A plain set of triples that graph/build.py can write into, for graphs that are only serialised and validated.

`graph.build.add_extraction(g, ex)` only ever calls `g.add((s, p, o))`; an rdflib `Graph` spends two thirds of
the build's time maintaining its three indexes, which serialising (graph/serialize.py only iterates) and the
SPARQL validator (graph/fast_validate.py) never use. `Triples` keeps the same triples in a set.

    from policykg.graph.triples import build_triples
    t = build_triples(extraction)       # the same triples as build_graph(extraction), about 3x faster
    serialize({document_iri(extraction): t}, "nq")
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib.term import Node

from policykg.extract.records import Extraction

Triple = tuple[Node, Node, Node]


class Triples:
    """A set of rdflib triples with the two things build and serialise use: add() and iteration."""

    def __init__(self) -> None:
        self._triples: set[Triple] = set()

    def add(self, triple: Triple) -> Triples:
        self._triples.add(triple)
        return self

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def __contains__(self, triple: object) -> bool:
        return triple in self._triples


def build_triples(ex: Extraction) -> Triples:
    """One document's triples, as graph.build.build_graph would put them in an rdflib Graph."""
    from policykg.graph.build import add_extraction

    t = Triples()
    add_extraction(t, ex)  # type: ignore[arg-type]  # add_extraction only calls add()
    return t


__all__ = ["Triple", "Triples", "build_triples"]
