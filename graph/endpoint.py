"""`policykg serve OUT`: a read-only SPARQL 1.1 Protocol endpoint over a build, and its HTML pages.

The dataset is loaded once into an on-disk Oxigraph store in a temporary directory: the documents' named
graphs, the ontology in its own graph, and their RDF merge as the default graph (what `policykg query` sees).
Queries run in a pool of processes that open that store read-only (graph/query_pool.py), so a query over
its time limit is stopped by ending its process. The HTTP side is the standard library's threading server.

Routes: /sparql (GET and POST queries; every update form is refused with 403), / (an index of the
documents), /graph.html and /report.html when the build directory has them.
"""

from __future__ import annotations

import html
import re
import shutil
import signal
import socket
import sys
import tempfile
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from policykg import __version__
from policykg.graph import sparql_text
from policykg.graph.iris import ONTOLOGY, PREFIXES
from policykg.graph.query_pool import Limits, QueryPool
from policykg.graph.query_worker import Request

VIEWS = ("graph.html", "report.html")  # written by `policykg html` and `policykg report` into a build directory
FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORMAT_PARAM = {  # ?format= / ?output= as some clients send them, over the Accept header
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
    "tsv": "text/tab-separated-values", "turtle": "text/turtle", "ttl": "text/turtle",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"


@dataclass
class Dataset:
    """The loaded store and what the index page shows."""

    store_dir: str
    source: Path
    documents: list[dict[str, str]] = field(default_factory=list)
    quads: int = 0


def load_dataset(path: str) -> Dataset:
    """A build directory or graph file, loaded into a fresh on-disk store."""
    from policykg.errors import InputError
    from policykg.graph.store import FORMAT_BY_SUFFIX, FORMAT_NAME, graph_file, ontology_path

    file = graph_file(path)
    store_dir = tempfile.mkdtemp(prefix="policykg-serve-")
    try:
        store = ox.Store(store_dir)
        fmt = FORMAT_BY_SUFFIX[file.suffix.lower()]
        try:  # each quad twice, streamed: in its named graph, and in the default graph (their merge)
            store.bulk_extend(_with_merge(ox.parse(path=str(file), format=fmt)))
        except SyntaxError as exc:
            raise InputError(f"{file}: not valid {FORMAT_NAME[file.suffix.lower()]} ({' '.join(str(exc).split())})"
                             ) from None
        ontology = ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE)
        store.bulk_extend(_with_merge(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ONTOLOGY))
                                      for t in ontology))
        store.flush()
        data = Dataset(store_dir, Path(path), _documents(store), len(store))
        del store  # closes the read-write instance: the query processes open it read-only
        return data
    except BaseException:
        shutil.rmtree(store_dir, ignore_errors=True)
        raise


def _with_merge(quads: Any) -> Any:
    for q in quads:
        yield q
        if not isinstance(q.graph_name, ox.DefaultGraph):
            yield ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())


_INDEX_QUERY = """
SELECT ?doc ?title ?number ?source (COUNT(DISTINCT ?task) AS ?tasks) (COUNT(DISTINCT ?ind) AS ?indicators)
WHERE {
  ?doc a pkg:PolicyDocument .
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc dcterms:identifier ?number }
  OPTIONAL { ?doc dcterms:source ?source }
  OPTIONAL { ?task a pkg:Task ; pkg:document ?doc }
  OPTIONAL { ?ind a pkg:Indicator ; pkg:document ?doc }
} GROUP BY ?doc ?title ?number ?source ORDER BY ?source ?doc"""


def _documents(store: ox.Store) -> list[dict[str, str]]:
    out = []
    for row in store.query(_INDEX_QUERY, prefixes=PREFIXES):
        out.append({name: (row[name].value if row[name] is not None else "")
                    for name in ("doc", "title", "number", "source", "tasks", "indicators")})
    return out


def index_page(data: Dataset, views: list[str]) -> bytes:
    """The front page: the documents, links to the views and a query form. Every text from a document is
    escaped: titles are whatever a portal published."""
    esc = html.escape
    rows = "\n".join(
        f"<tr><td>{esc(d['title'] or '—')}</td><td>{esc(d['number'])}</td><td>{esc(d['source'])}</td>"
        f"<td class=n>{esc(d['tasks'])}</td><td class=n>{esc(d['indicators'])}</td></tr>"
        for d in data.documents)
    links = " · ".join(f'<a href="/{v}">{v}</a>' for v in views)
    example = "SELECT ?task ?title WHERE { ?task a pkg:Task ; dcterms:title ?title } LIMIT 20"
    prefixes = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in sorted(PREFIXES.items()) if p in ("pkg", "dcterms"))
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>policykg: {esc(data.source.name)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{padding:.2em .6em;
border-bottom:1px solid #ddd;text-align:left}}td.n{{text-align:right}}textarea{{width:100%;height:8em}}</style>
</head><body>
<h1>policykg</h1>
<p>{len(data.documents)} document{'s' * (len(data.documents) != 1)}, {data.quads:,} quads from
{esc(str(data.source))}. {links}</p>
<table><tr><th>title</th><th>文号</th><th>file</th><th>tasks</th><th>indicators</th></tr>
{rows}
</table>
<h2>SPARQL</h2>
<p>Endpoint: <code>/sparql</code> (SPARQL 1.1 Protocol, GET or POST; results as JSON, XML, CSV or TSV;
read-only).</p>
<form action="/sparql" method="get"><textarea name="query">{esc(prefixes)}
{esc(example)}</textarea>
<select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option>
</select> <button>run</button></form>
<p><small>policykg {esc(__version__)}</small></p>
</body></html>
"""
    return page.encode("utf-8")


def accepted(header: str | None) -> tuple[str, ...]:
    """Media types of an Accept header, best first (q=0 dropped; ties keep the client's order)."""
    if not header:
        return ()
    items = []
    for n, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            items.append((-q, n, media))
    return tuple(m for _, _, m in sorted(items))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], data: Dataset, pool: QueryPool, limits: Limits,
                 quiet: bool = False) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.data = data
        self.pool = pool
        self.limits = limits
        self.quiet = quiet
        self.root = data.source if data.source.is_dir() else data.source.parent

    def views(self) -> list[str]:
        return [v for v in VIEWS if (self.root / v).is_file()]


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    server_version = f"policykg/{__version__}"
    timeout = 60  # seconds a client may take to send its request: a stalled one does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)

    # --- routing ----------------------------------------------------------------------------------------------

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/":
            self._send(200, "text/html; charset=utf-8", index_page(self.server.data, self.server.views()),
                       {"Content-Security-Policy": INDEX_CSP})
        elif url.path in ("/sparql", "/query"):
            self._sparql(parse_qs(url.query, keep_blank_values=True), None)
        elif url.path.lstrip("/") in VIEWS and url.path.lstrip("/") in self.server.views():
            self._send(200, "text/html; charset=utf-8", (self.server.root / url.path.lstrip("/")).read_bytes())
        else:
            self._error(404, f"no such page: {url.path}")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query", "/update"):
            self._discard_body()
            self._error(404, f"no such page: {url.path}")
            return
        body = self._read_body()
        if body is None:
            return
        params = parse_qs(url.query, keep_blank_values=True)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if url.path == "/update" or media == UPDATE_TYPE:
            self._error(403, "this endpoint is read-only: SPARQL updates are refused")
            return
        if media == FORM_TYPE:
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
            except UnicodeDecodeError:
                self._error(400, "the form is not UTF-8")
                return
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
            self._sparql(params, None)
        elif media == QUERY_TYPE:
            try:
                self._sparql(params, body.decode("utf-8"))
            except UnicodeDecodeError:
                self._error(400, "the query is not UTF-8")
        else:
            self._error(415, f"send the query as {QUERY_TYPE} or {FORM_TYPE} (got {media or 'no type'})")

    def do_PUT(self) -> None:
        self._refuse_method()

    do_DELETE = do_PATCH = do_PUT

    def _refuse_method(self) -> None:
        self._discard_body()
        self._error(405, "this endpoint is read-only", {"Allow": "GET, POST"})

    # --- SPARQL protocol --------------------------------------------------------------------------------------

    def _sparql(self, params: dict[str, list[str]], direct: str | None) -> None:
        if "update" in params:
            self._error(403, "this endpoint is read-only: SPARQL updates are refused")
            return
        queries = params.get("query", []) + ([direct] if direct is not None else [])
        if not queries:
            self._error(400, "no query: send one as ?query=… (GET) or in the body (POST)")
            return
        if len(queries) != 1:
            self._error(400, "exactly one query per request")
            return
        text = queries[0]
        if sparql_text.is_update(text):
            self._error(403, "this endpoint is read-only: SPARQL updates are refused")
            return
        if sparql_text.uses_service(text):
            self._error(403, "federated queries (SERVICE) are not run by this endpoint")
            return
        fmt = (params.get("format") or params.get("output") or [""])[0].lower()
        accept = ((FORMAT_PARAM[fmt],) if fmt in FORMAT_PARAM else (fmt,) if "/" in fmt
                  else accepted(self.headers.get("Accept")))
        req = Request(text, accept, tuple(params.get("default-graph-uri", [])),
                      tuple(params.get("named-graph-uri", [])))
        answer = self.server.pool.run(req)
        self._send(answer.status, answer.content_type, answer.body)

    # --- HTTP plumbing ----------------------------------------------------------------------------------------

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not re.fullmatch(r"\d+", length.strip()):
            self.close_connection = True
            self._error(411, "a POST needs a Content-Length")
            return None
        n = int(length)
        if n > self.server.limits.max_body_bytes:
            self.close_connection = True  # the body stays unread: the connection cannot be reused
            self._error(413, f"the request body is larger than the limit of {self.server.limits.max_body_bytes:,}"
                             " bytes")
            return None
        return self.rfile.read(n)

    def _discard_body(self) -> None:
        length = self.headers.get("Content-Length", "0").strip()
        if length.isdigit() and int(length) <= self.server.limits.max_body_bytes:
            self.rfile.read(int(length))
        else:
            self.close_connection = True

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", f"{HTTPStatus(status).phrase}: {message}\n".encode(),
                   headers)

    def _send(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Accept")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def start(path: str, host: str, port: int, limits: Limits, workers: int, quiet: bool = False) -> Server:
    """Load the dataset, start the query processes and bind the server (not yet serving)."""
    from policykg.errors import UsageError

    data = load_dataset(path)
    pool = None
    try:
        pool = QueryPool(data.store_dir, workers, limits)
        try:
            return Server((host, port), data, pool, limits, quiet)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    except BaseException:
        if pool is not None:
            pool.close()
        shutil.rmtree(data.store_dir, ignore_errors=True)
        raise


def stop(server: Server) -> None:
    server.server_close()
    server.pool.close()
    shutil.rmtree(server.data.store_dir, ignore_errors=True)


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def url_of(server: Server) -> str:
    host, port = server.server_address[:2]
    shown = f"[{host}]" if ":" in str(host) else host
    return f"http://{shown}:{port}/"


def serve_forever(server: Server) -> None:
    """Serve until Ctrl-C or SIGTERM, then stop the query processes and remove the store."""
    signal.signal(signal.SIGTERM, _terminate)
    print(f"policykg: serving {server.data.source} ({len(server.data.documents)} documents) at {url_of(server)} "
          f"— SPARQL endpoint {url_of(server)}sparql; Ctrl-C stops", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        stop(server)
