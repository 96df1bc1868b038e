"""A query process of `policykg serve`: runs SPARQL queries on a read-only Oxigraph store, one at a time.

pyoxigraph cannot interrupt a running query from Python, so the server runs each query here and kills this
process when the time limit passes. Only pyoxigraph is imported: a replacement starts in a fraction of a
second. Requests and answers travel over a multiprocessing Connection as plain tuples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from policykg.graph.iris import PREFIXES

# media type -> serialiser format, per kind of result; the first of each table is the default
RESULTS_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Request:
    query: str
    accept: tuple[str, ...]  # media types the client takes, best first ("*/*" and "type/*" allowed)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class TooLarge(OSError):
    pass


class CappedBuffer:
    """A binary sink that refuses to grow past its limit: the serialiser stops as soon as it is crossed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: Any) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge(f"the result is larger than the limit of {self.limit:,} bytes")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def choose(accept: tuple[str, ...], table: dict[str, Any]) -> str | None:
    """The first acceptable media type this kind of result can be written in; None if there is none."""
    if not accept:
        return next(iter(table))
    for wanted in accept:
        if wanted in table:
            return wanted
        if wanted == "*/*":
            return next(iter(table))
        if wanted.endswith("/*"):
            for media in table:
                if media.startswith(wanted[:-1]):
                    return media
    return None


def answer(store: ox.Store, req: Request, max_bytes: int) -> tuple[int, str, bytes]:
    """(HTTP status, content type, body) of one query."""
    kwargs: dict[str, Any] = {}
    try:
        if req.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
        if req.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
        result = store.query(req.query, prefixes=PREFIXES, **kwargs)
    except SyntaxError as exc:
        return 400, "text/plain; charset=utf-8", f"malformed query: {exc}\n".encode()
    except ValueError as exc:
        return 400, "text/plain; charset=utf-8", f"bad request: {exc}\n".encode()
    table: dict[str, Any] = GRAPH_TYPES if isinstance(result, ox.QueryTriples) else RESULTS_TYPES
    media = choose(req.accept, table)
    if media is None:
        offered = ", ".join(table)
        return 406, "text/plain; charset=utf-8", f"not acceptable: this result can be sent as {offered}\n".encode()
    sink = CappedBuffer(max_bytes)
    try:
        result.serialize(sink, format=table[media])
    except TooLarge as exc:
        return 422, "text/plain; charset=utf-8", f"{exc}: narrow the query or add a LIMIT\n".encode()
    charset = "" if table[media] in (ox.QueryResultsFormat.XML, ox.RdfFormat.RDF_XML) else "; charset=utf-8"
    return 200, media + charset, sink.getvalue()


def serve(conn: Any, store_path: str, max_bytes: int) -> None:
    """The process's loop: one request in, one answer out, until the connection closes."""
    store = ox.Store.read_only(store_path)
    conn.send(("ready",))
    while True:
        try:
            req = conn.recv()
        except (EOFError, OSError):
            return
        try:
            status, media, body = answer(store, req, max_bytes)
        except Exception as exc:  # an evaluation error is the query's, not the server's end
            status, media, body = 500, "text/plain; charset=utf-8", f"query failed: {exc}\n".encode()
        conn.send((status, media, body))
