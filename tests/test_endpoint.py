"""`policykg serve`: the SPARQL 1.1 Protocol through real clients (SPARQLWrapper, rdflib's SPARQLStore), content
negotiation, a read-only store, the time, result and body limits, and the HTML pages."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykg.cli import build_parser, main
from policykg.graph import endpoint
from policykg.graph.query_pool import Limits
from tests.test_graph_sample import EXAMPLE

TIMEOUT = 2.0
PKG = "PREFIX pkg: <https://w3id.org/policykg/ns#>\n"
COUNT_TASKS = PKG + "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pkg:Task }"
EXPLOSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "CREATE GRAPH <urn:g>",
    "DROP DEFAULT",
    "COPY DEFAULT TO <urn:g>",
    "MOVE DEFAULT TO <urn:g>",
    "ADD DEFAULT TO <urn:g>",
    "PREFIX pkg: <https://w3id.org/policykg/ns#>\n# a comment\ninsert data { pkg:a pkg:b pkg:c }",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("served") / "out"
    assert main(["build", str(EXAMPLE), "-o", str(out), "--no-validate"]) == 0
    (out / "graph.html").write_text("<!DOCTYPE html><title>graph</title>", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def url(built: Path) -> Iterator[str]:
    limits = Limits(timeout=TIMEOUT, max_result_bytes=300_000, max_body_bytes=20_000)
    server = endpoint.start(str(built), "127.0.0.1", 0, limits, workers=2, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint.url_of(server)
    finally:
        server.shutdown()
        thread.join(10)
        endpoint.stop(server)


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, str, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(base: str, query: str, accept: str | None = None, **params: str) -> tuple[int, str, bytes]:
    qs = urllib.parse.urlencode({"query": query, **params})
    return http(f"{base}sparql?{qs}", headers={"Accept": accept} if accept else {})


def task_count(base: str) -> int:
    status, _, body = get(base, COUNT_TASKS)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_sparqlwrapper_get_and_post_in_every_results_format(url: str):
    from SPARQLWrapper import CSV, GET, JSON, POST, TURTLE, XML, SPARQLWrapper

    local = task_count(url)
    assert local == 14
    for method in (GET, POST):
        client = SPARQLWrapper(f"{url}sparql")
        client.setMethod(method)
        client.setQuery(COUNT_TASKS)
        client.setReturnFormat(JSON)
        assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == "14"
        client.setReturnFormat(XML)
        xml = client.queryAndConvert()
        assert xml.getElementsByTagName("literal")[0].firstChild.data == "14"
        client.setReturnFormat(CSV)
        assert list(csv.reader(io.StringIO(client.queryAndConvert().decode()))) == [["n"], ["14"]]
    client = SPARQLWrapper(f"{url}sparql")
    client.setQuery(PKG + "CONSTRUCT { ?t a pkg:Task } WHERE { ?t a pkg:Task }")
    client.setReturnFormat(TURTLE)
    from rdflib import Graph

    assert len(Graph().parse(data=client.queryAndConvert().decode(), format="turtle")) == 14


def test_rdflib_sparqlstore_sees_what_the_local_store_sees(url: str, built: Path):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    from policykg.graph.store import open_store

    query = PKG + ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?label (COUNT(?t) AS ?n) WHERE "
                   "{ ?t pkg:leadDepartment/skos:prefLabel ?label } GROUP BY ?label ORDER BY DESC(?n) ?label")
    remote = Graph(store=SPARQLStore(f"{url}sparql", returnFormat="json"))
    rows = [(str(label), int(n)) for label, n in remote.query(query)]
    assert rows == [(str(label), int(n)) for label, n in open_store(str(built)).query(query)]
    assert rows[0] == ("苏州市质量技术监督局", 7)


def test_content_negotiation(url: str):
    status, media, body = get(url, COUNT_TASKS, "text/tab-separated-values")
    assert (status, media, body) == (200, "text/tab-separated-values; charset=utf-8", b"?n\n14\n")
    status, media, _ = get(url, COUNT_TASKS, "application/sparql-results+xml;q=0.5, text/csv;q=0.9")
    assert media.startswith("text/csv")
    status, media, body = get(url, "ASK { ?s ?p ?o }", "*/*")
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})
    status, media, body = get(url, "CONSTRUCT WHERE { ?s a <https://w3id.org/policykg/ns#Task> }",
                              "application/n-triples")
    assert status == 200 and media.startswith("application/n-triples") and body.count(b"\n") == 14
    assert get(url, COUNT_TASKS, "image/png")[0] == 406
    status, _, body = http(f"{url}sparql", COUNT_TASKS.encode(), {"Content-Type": "application/sparql-query",
                                                                "Accept": "application/sparql-results+json"})
    assert status == 200 and b'"14"' in body


@pytest.mark.parametrize("update", UPDATES)
def test_every_update_form_is_refused(url: str, update: str):
    before = task_count(url)
    assert get(url, update)[0] == 403
    form = urllib.parse.urlencode({"update": update}).encode()
    assert http(f"{url}sparql", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert http(f"{url}sparql", update.encode(), {"Content-Type": "application/sparql-update"})[0] == 403
    assert http(f"{url}update", form, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert task_count(url) == before


def test_other_methods_and_federation_are_refused(url: str):
    assert http(f"{url}sparql", b"<urn:a> <urn:b> <urn:c> .", {"Content-Type": "application/n-triples"},
                "PUT")[0] == 405
    assert http(f"{url}sparql?graph=urn:g", method="DELETE")[0] == 405
    status, _, body = get(url, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert status == 403 and b"SERVICE" in body
    assert get(url, "SELECT ?service WHERE { ?service a ?SERVICE } LIMIT 1")[0] == 200  # only the keyword counts


def test_an_explosive_query_is_stopped_at_the_time_limit_and_the_server_stays_up(url: str):
    start = time.monotonic()
    status, _, body = get(url, EXPLOSIVE)
    elapsed = time.monotonic() - start
    assert status == 503 and b"time limit" in body
    assert TIMEOUT <= elapsed < TIMEOUT + 1.5
    assert task_count(url) == 14
    start = time.monotonic()
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(get(url, EXPLOSIVE)[0])) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == [503, 503] and time.monotonic() - start < 2 * TIMEOUT + 3
    assert task_count(url) == 14


def test_result_and_body_size_limits(url: str):
    status, _, body = get(url, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422 and b"limit of 300,000 bytes" in body
    big = urllib.parse.urlencode({"query": "ASK {} #" + "x" * 30_000}).encode()
    assert http(f"{url}sparql", big, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 413
    assert task_count(url) == 14


def test_protocol_dataset_parameters(url: str):
    ontology = "https://w3id.org/policykg/ns"
    status, _, body = get(url, COUNT_TASKS, **{"default-graph-uri": ontology})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"
    named = PKG + "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a pkg:Task } }"
    assert json.loads(get(url, named)[2])["results"]["bindings"][0]["n"]["value"] == "1"
    status, _, body = get(url, named, **{"named-graph-uri": ontology})
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"
    assert get(url, COUNT_TASKS, **{"default-graph-uri": "not an iri"})[0] == 400


def test_bad_requests(url: str):
    assert get(url, "SELECT * WHERE { ?s ?p }")[0] == 400
    assert http(f"{url}sparql")[0] == 400
    assert http(f"{url}sparql", b"query=ASK{}", {"Content-Type": "text/plain"})[0] == 415
    assert http(f"{url}nothing-here")[0] == 404
    assert http(f"{url}..%2f..%2fetc%2fpasswd")[0] == 404


def test_pages(url: str):
    status, media, body = http(url)
    page = body.decode()
    assert status == 200 and media.startswith("text/html")
    assert "苏府办〔2017〕173号" in page and "市政府办公室印发关于进一步加强质量品牌建设意见的通知" in page
    assert '<a href="/graph.html">graph.html</a>' in page and "report.html" not in page
    assert http(f"{url}graph.html")[2] == b"<!DOCTYPE html><title>graph</title>"
    assert http(f"{url}report.html")[0] == 404


def test_document_text_is_escaped_in_the_index(tmp_path: Path):
    data = endpoint.Dataset(str(tmp_path), tmp_path / "<b>out</b>", [
        {"doc": "urn:d", "title": "<script>alert(1)</script>关于…的通知", "number": "沪府〔2024〕1号&amp;",
         "source": "<img src=x onerror=alert(2)>.txt", "tasks": "3", "indicators": "0"}], 10)
    page = endpoint.index_page(data, []).decode()
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;关于…的通知" in page and "&amp;amp;" in page


def test_loopback_by_default():
    args = build_parser().parse_args(["serve", "out/"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_the_query_commands_run_against_the_endpoint(url: str, built: Path, capsys: pytest.CaptureFixture[str]):
    canned = (["who-owns", "三/(一)/1"], ["tasks-of", "科技局", "--format", "json"], ["unassigned", "--format", "csv"])
    for args in canned:
        assert main([args[0], str(built), *args[1:]]) == 0
        local = capsys.readouterr().out
        assert main([args[0], f"{url}sparql", *args[1:]]) == 0
        assert capsys.readouterr().out == local
    assert main(["query", "--endpoint", f"{url}sparql", "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pkg:Task }",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "14"]
    assert main(["query", "--endpoint", f"{url}sparql", EXPLOSIVE]) == 69
    assert "HTTP 503" in capsys.readouterr().err
