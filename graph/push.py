"""`policykg push OUT --endpoint URL`: load a build into another triple store over the SPARQL 1.1 Graph Store
Protocol: one HTTP PUT per document's named graph (PUT replaces the graph, so a re-push never duplicates),
plus the ontology in its own graph. Afterwards each graph's size is checked through the query endpoint.

Only urllib: no dependency for a client this small. For millions of documents a store's own bulk loader
reading OUT/graph.nq (or OUT/documents/*.nq) is the faster road; the README says how.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from policykg.errors import PolicyKGError, UsageError
from policykg.graph.iris import ONTOLOGY

PASSWORD_ENV = "POLICYKG_STORE_PASSWORD"
VERIFY_BATCH = 100  # graphs per counting query


class ServiceError(PolicyKGError):
    """A remote store cannot be reached, or refused what it was sent."""

    exit_code = 69  # EX_UNAVAILABLE

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status the store answered with, if it answered


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a query endpoint, by each store's conventions."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]
    if path == "/query":  # Oxigraph: /query, /update, /store
        new = "/store"
    elif path == "/sparql":  # Virtuoso
        new = "/sparql-graph-crud-auth"
    elif len(segments) == 2 and segments[0] == "repositories":  # GraphDB, RDF4J
        new = f"{path}/rdf-graphs/service"
    elif len(segments) >= 2 and segments[-1] in ("sparql", "query"):  # Fuseki: /DATASET/sparql
        new = "/" + "/".join(segments[:-1]) + "/data"
    else:
        raise UsageError(f"cannot tell the Graph Store Protocol address that goes with {endpoint}; "
                         "give it with --graph-store URL")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def graph_param(store_url: str) -> str:
    """The query parameter naming the graph: the standard's `graph`, Virtuoso's own `graph-uri`."""
    return "graph-uri" if "sparql-graph-crud" in store_url else "graph"


@dataclass
class Client:
    """HTTP with optional credentials (Basic, or Digest as Virtuoso asks for)."""

    user: str | None = None
    password: str | None = None
    timeout: float = 300.0

    def __post_init__(self) -> None:
        handlers: list[Any] = []
        if self.user:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, "http://", self.user, self.password or "")
            manager.add_password(None, "https://", self.user, self.password or "")
            handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
        self._opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> bytes:
        return self.request_with_type(method, url, body, headers)[0]

    def request_with_type(self, method: str, url: str, body: bytes | None = None,
                          headers: dict[str, str] | None = None) -> tuple[bytes, str]:
        """(response body, its media type); ServiceError for an error status or no answer."""
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                media = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                return resp.read(), media
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(300).decode("utf-8", "replace").split())
            raise ServiceError(f"{method} {_shown(url)}: HTTP {exc.code} {exc.reason}"
                               + (f" ({detail})" if detail else ""), exc.code) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ServiceError(f"cannot reach {_shown(url)} ({reason})") from None


def _shown(url: str) -> str:
    return url if len(url) < 160 else url[:157] + "…"


def graphs_of(path: str) -> Iterator[tuple[str | None, bytes, int]]:
    """(graph name or None for the default graph, its triples as N-Triples, how many) of a build.

    A corpus build's per-document files are read one at a time, so memory stays flat however many there
    are; any other graph file is read whole and split by graph."""
    from policykg.graph import manifest as mf
    from policykg.graph.store import FORMAT_BY_SUFFIX, graph_file

    p = Path(path)
    listed = mf.load(p) if p.is_dir() else None
    entries = sorted((e for e in listed.documents.values() if e.status == "built" and e.graph),
                     key=lambda e: e.iri or "") if listed else []
    if entries:
        seen: set[str] = set()
        for e in entries:
            if e.iri in seen:  # the same document in two files is one graph (the build says which)
                continue
            seen.add(e.iri or "")
            quads = ox.parse(path=str(p / (e.graph or "")), format=ox.RdfFormat.N_QUADS)
            yield from _split(quads)
        return
    file = graph_file(path)
    yield from _split(ox.parse(path=str(file), format=FORMAT_BY_SUFFIX[file.suffix.lower()]))


def _split(quads: Iterator[ox.Quad]) -> Iterator[tuple[str | None, bytes, int]]:
    by_graph: dict[str | None, list[ox.Triple]] = {}
    for q in quads:
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        by_graph.setdefault(name, []).append(q.triple)
    for name in sorted(by_graph, key=lambda n: n or ""):
        triples = list(dict.fromkeys(by_graph[name]))
        yield name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), len(triples)


@dataclass
class PushResult:
    graphs: int
    triples: int
    verified: bool


def push(path: str, endpoint: str, store_url: str | None, client: Client, verify: bool = True,
         quiet: bool = False) -> PushResult:
    from policykg.graph.store import ontology_path

    store_url = store_url or graph_store_url(endpoint)
    param = graph_param(store_url)
    expected: dict[str | None, int] = {}
    bar = _progress(quiet)
    try:
        for name, body, count in graphs_of(path):
            _put(client, store_url, param, name, body, "application/n-triples")
            expected[name] = expected.get(name, 0) + count
            bar.update(1)
        ontology = ontology_path().read_bytes()
        _put(client, store_url, param, ONTOLOGY, ontology, "text/turtle")
    finally:
        bar.close()
    if verify:
        check_counts(client, endpoint, {k: v for k, v in expected.items() if k is not None})
    return PushResult(len(expected), sum(expected.values()), verify)


def _put(client: Client, store_url: str, param: str, graph: str | None, body: bytes, media: str) -> None:
    query = urllib.parse.urlencode({param: graph}) if graph is not None else "default"
    sep = "&" if "?" in store_url else "?"
    client.request("PUT", f"{store_url}{sep}{query}", body, {"Content-Type": media})


def _progress(quiet: bool) -> Any:
    from tqdm import tqdm

    return tqdm(desc="pushing", unit="graph", file=sys.stderr, leave=False, disable=quiet or not sys.stderr.isatty())


def select(client: Client, endpoint: str, query: str) -> list[dict[str, Any]]:
    """A SELECT on a remote endpoint (form POST), as the JSON results' bindings."""
    body = urllib.parse.urlencode({"query": query}).encode()
    data = client.request("POST", endpoint, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                   "Accept": "application/sparql-results+json"})
    try:
        return json.loads(data)["results"]["bindings"]
    except (ValueError, KeyError) as exc:
        raise ServiceError(f"{endpoint}: not a SPARQL JSON result ({exc})") from None


def check_counts(client: Client, endpoint: str, expected: dict[str, int]) -> None:
    """Every pushed graph holds as many triples as was sent: nothing lost, nothing left from before."""
    names = sorted(expected)
    for start in range(0, len(names), VERIFY_BATCH):
        batch = names[start:start + VERIFY_BATCH]
        values = " ".join(f"<{n}>" for n in batch)
        rows = select(client, endpoint, f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                                        "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        found = {r["g"]["value"]: int(r["n"]["value"]) for r in rows}
        for n in batch:
            if found.get(n, 0) != expected[n]:
                raise ServiceError(f"{endpoint}: graph <{n}> holds {found.get(n, 0)} triples after the push, "
                                   f"not the {expected[n]} sent")


def password_from_env() -> str | None:
    return os.environ.get(PASSWORD_ENV)
