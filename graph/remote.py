"""A SPARQL endpoint standing in for a local graph, so who-owns, tasks-of, unassigned and query run against a
remote store (one that `policykg push` loaded, or `policykg serve`) with the same code.

Only `query(text, initBindings=…)` is offered: all the query commands need. Bound variables travel as a VALUES
block at the head of the query's WHERE group, where they are in scope for its FILTERs and BINDs (rdflib's own
SPARQLStore appends VALUES at the end of the query, where a FILTER never sees them). The project's prefixes
are declared for queries that use them without declaring them, as locally.
"""

from __future__ import annotations

import io
import re
import urllib.parse
from collections.abc import Mapping

from rdflib import Graph
from rdflib.query import Result
from rdflib.term import Node

from policykg.errors import UsageError
from policykg.graph import sparql_text
from policykg.graph.iris import PREFIXES
from policykg.graph.push import Client, ServiceError

ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def is_url(path: str) -> bool:
    return path.startswith(("http://", "https://"))


class RemoteGraph:
    """The default graph of a remote SPARQL endpoint."""

    def __init__(self, endpoint: str, client: Client | None = None) -> None:
        self.endpoint = endpoint
        self.client = client or Client(timeout=120.0)

    def __getattr__(self, name: str) -> None:
        raise UsageError("only who-owns, tasks-of, unassigned and query run against a SPARQL endpoint; "
                         "for the other commands, build or download the graph files")

    def query(self, query: str, initBindings: Mapping[str, Node] | None = None) -> Result:  # rdflib's name
        text = with_bindings(with_prefixes(query), initBindings or {})
        body = urllib.parse.urlencode({"query": text}).encode("utf-8")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": ACCEPT}
        try:
            data, media = self.client.request_with_type("POST", self.endpoint, body, headers)
        except ServiceError as exc:
            if exc.status == 400:
                raise UsageError(f"malformed SPARQL query (the endpoint says: {exc})") from None
            raise
        if media.startswith(("text/turtle", "application/n-triples")):
            result = Result("CONSTRUCT")
            result.graph = Graph().parse(data=data.decode("utf-8"), format="turtle")
            return result
        return Result.parse(io.BytesIO(data), format="json")


def with_prefixes(query: str) -> str:
    """The project's PREFIX declarations the query lacks, before it."""
    declared = {m.group(1) for m in re.finditer(r"(?i)PREFIX\s+([^\s:]*):", sparql_text.blank(query))}
    missing = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p not in declared]
    return "\n".join([*missing, query]) if missing else query


def with_bindings(query: str, bindings: Mapping[str, Node]) -> str:
    if not bindings:
        return query
    at = sparql_text.where_brace(query)
    if at is None:
        raise UsageError("cannot bind variables in a query without a WHERE group")
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join(v.n3() for v in bindings.values())
    return f"{query[:at + 1]} VALUES ({names}) {{ ({values}) }}{query[at + 1:]}"
