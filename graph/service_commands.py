"""CLI commands that serve a built graph or hand it to another triple store (`serve`, `push`)."""

from __future__ import annotations

import argparse
import contextlib

SERVE_EPILOG = """examples:
  policykg serve out/                          http://127.0.0.1:8000/ and its SPARQL endpoint /sparql
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a pkg:Task } LIMIT 5' \\
       http://127.0.0.1:8000/sparql

The endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE, ADD, as a
query, an update= field or an application/sparql-update body) get 403, SERVICE gets 403, a body over the
size limit 413, a query over the time limit 503 (its process is stopped), a result over the size limit 422."""

PUSH_EPILOG = """examples:
  policykg push out/ --endpoint http://127.0.0.1:7878/query                   Oxigraph (graph store: /store)
  policykg push out/ --endpoint http://localhost:3030/policykg/sparql         Fuseki (/policykg/data)
  policykg push out/ --endpoint http://localhost:7200/repositories/policykg   GraphDB (…/rdf-graphs/service)
  POLICYKG_STORE_PASSWORD=… policykg push out/ --endpoint http://localhost:8890/sparql --user dba
                                                                              Virtuoso (/sparql-graph-crud-auth)

exit codes: 0 pushed (and checked), 64 bad arguments, 65 unreadable build, 69 the store cannot be reached,
refused a graph or holds other counts than were sent"""


def register(sub: argparse._SubParsersAction) -> None:
    """Add this module's sub-commands to the top-level parser."""
    p = sub.add_parser(
        "serve", help="a read-only SPARQL endpoint and HTML pages over a built graph",
        description="Serve GRAPH (a build directory or graph file) over HTTP: a SPARQL 1.1 Protocol endpoint\n"
                    "at /sparql (GET and POST; JSON, XML, CSV or TSV results and Turtle, N-Triples, RDF/XML or\n"
                    "JSON-LD graphs by content negotiation), an index of the documents at /, and the build's\n"
                    "graph.html and report.html when they exist. The default graph is the merge of every\n"
                    "document's named graph and the ontology; GRAPH ?g reaches each one.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=SERVE_EPILOG,
    )
    p.add_argument("graph", metavar="GRAPH", help="a build output directory or a graph file")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default: 127.0.0.1, this machine only; 0.0.0.0 opens it to others)")
    p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS",
                   help="time limit of one query (default: 10)")
    p.add_argument("--max-result-bytes", type=int, default=32 * 1024 * 1024, metavar="N",
                   help="largest result sent (default: 32 MiB)")
    p.add_argument("--max-body-bytes", type=int, default=1024 * 1024, metavar="N",
                   help="largest request body accepted (default: 1 MiB)")
    p.add_argument("--workers", type=int, default=2, metavar="N",
                   help="query processes, i.e. queries run at once (default: 2)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not log each request on stderr")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "push", help="load a built graph into another triple store (SPARQL Graph Store Protocol)",
        description="PUT each document's named graph (and the ontology's) into a triple store over the SPARQL\n"
                    "1.1 Graph Store Protocol. PUT replaces a graph, so pushing again after a rebuild updates the\n"
                    "store without duplicates. Then counts each graph's triples through the query endpoint. The\n"
                    "graph store address is derived from the endpoint's (see the examples) unless given.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=PUSH_EPILOG,
    )
    p.add_argument("graph", metavar="GRAPH", help="a build output directory or a graph file")
    p.add_argument("--endpoint", required=True, metavar="URL", help="the store's SPARQL query endpoint")
    p.add_argument("--graph-store", metavar="URL", help="its Graph Store Protocol address (default: derived)")
    p.add_argument("--user", help="user name for the store (password from $POLICYKG_STORE_PASSWORD)")
    p.add_argument("--no-verify", action="store_true", help="do not count the pushed graphs afterwards")
    p.add_argument("--timeout", type=float, default=300.0, metavar="SECONDS",
                   help="time limit of one HTTP request (default: 300)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar (it shows only on a terminal)")
    p.set_defaults(func=cmd_push)


def cmd_serve(args: argparse.Namespace) -> int:
    from policykg.errors import UsageError
    from policykg.graph import endpoint
    from policykg.graph.query_pool import Limits

    if args.timeout <= 0 or args.max_result_bytes <= 0 or args.max_body_bytes <= 0 or args.workers < 1:
        raise UsageError("--timeout, --max-result-bytes, --max-body-bytes and --workers must be positive")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: not a port number")
    limits = Limits(args.timeout, args.max_result_bytes, args.max_body_bytes)
    server = endpoint.start(args.graph, args.host, args.port, limits, args.workers, args.quiet)
    with contextlib.suppress(KeyboardInterrupt):
        endpoint.serve_forever(server)
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    import sys

    from policykg.errors import UsageError
    from policykg.graph import push

    for url in (args.endpoint, args.graph_store):
        if url and not url.startswith(("http://", "https://")):
            raise UsageError(f"{url}: not an http(s) URL")
    client = push.Client(args.user, push.password_from_env(), args.timeout)
    result = push.push(args.graph, args.endpoint, args.graph_store, client, not args.no_verify, args.quiet)
    checked = "; every graph checked" if result.verified else ""
    print(f"policykg: pushed {result.graphs} graph{'s' * (result.graphs != 1)} ({result.triples} triples) and the "
          f"ontology to {args.graph_store or push.graph_store_url(args.endpoint)}{checked}", file=sys.stderr)
    return 0
