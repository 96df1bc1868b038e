"""`policykg push` into a real Oxigraph server (the `oxigraph` package's binary, on 127.0.0.1), the canned
questions asked of it, a re-push replacing graphs, and the Graph Store addresses of other stores."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykg.cli import main
from policykg.graph.push import graph_param, graph_store_url
from tests.conftest import DATA


def oxigraph_binary() -> str | None:
    return shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def select(endpoint: str, query: str) -> list[dict[str, str]]:
    req = urllib.request.Request(endpoint, urllib.parse.urlencode({"query": query}).encode(),
                                 {"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        rows = json.loads(resp.read())["results"]["bindings"]
    return [{k: v["value"] for k, v in r.items()} for r in rows]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = oxigraph_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]'")
        pytest.skip("no oxigraph server binary (pip install oxigraph)")
    port = free_port()
    log = (tmp_path_factory.mktemp("oxigraph") / "server.log").open("wb")
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path_factory.mktemp("oxdb")),
                             "--bind", f"127.0.0.1:{port}", "--union-default-graph"], stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                select(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
                break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the oxigraph server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()


def graph_sizes(endpoint: str) -> dict[str, int]:
    rows = select(endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {r["g"]: int(r["n"]) for r in rows}


def file_sizes(out: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for line in (out / "graph.nq").read_text(encoding="utf-8").splitlines():
        g = line.rsplit(" ", 2)[-2].strip("<>")
        sizes[g] = sizes.get(g, 0) + 1
    return sizes


def test_push_query_and_push_again(oxigraph: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    docs = tmp_path / "docs"
    docs.mkdir()
    text = (DATA / "inline_fullwidth.txt").read_text(encoding="utf-8")
    (docs / "a.txt").write_text(text, encoding="utf-8")
    (docs / "b.txt").write_text(text.replace("〔2024〕12号", "〔2024〕13号"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(docs), "-o", str(out), "-j", "1", "--no-validate", "-q"]) == 0
    capsys.readouterr()

    assert main(["push", str(out), "--endpoint", oxigraph, "-q"]) == 0
    assert "pushed 2 graphs" in capsys.readouterr().err
    sizes = graph_sizes(oxigraph)
    assert {g: n for g, n in sizes.items() if g != "https://w3id.org/policykg/ns"} == file_sizes(out)
    assert sizes["https://w3id.org/policykg/ns"] > 100  # the ontology, for the code lists the questions read

    for args in (["who-owns", "完善标准体系"], ["tasks-of", "市公安局", "--format", "json"],
                 ["unassigned", "--format", "csv"]):
        assert main([args[0], str(out), *args[1:]]) == 0
        local = capsys.readouterr().out
        assert main([args[0], oxigraph, *args[1:]]) == 0
        assert capsys.readouterr().out == local
    assert main(["query", "--endpoint", oxigraph, "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a pkg:PolicyDocument }",
                 "--format", "csv"]) == 0
    assert capsys.readouterr().out.split() == ["n", "2"]

    (docs / "a.txt").write_text(text.replace("建设计量测试中心", "建设计量测试中心和检测平台"), encoding="utf-8")
    assert main(["build", str(docs), "-o", str(out), "-j", "1", "--no-validate", "-q"]) == 0
    assert main(["push", str(out), "--endpoint", oxigraph, "-q"]) == 0
    after = graph_sizes(oxigraph)
    assert {g: n for g, n in after.items() if g != "https://w3id.org/policykg/ns"} == file_sizes(out)
    assert after["https://w3id.org/policykg/ns"] == sizes["https://w3id.org/policykg/ns"]  # replaced, not added
    rows = select(oxigraph, 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o '
                            'FILTER CONTAINS(STR(?o), "建设计量测试中心和检测平台") } }')
    assert int(rows[0]["n"]) > 0


def test_an_unreachable_store_is_exit_69(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "out"
    assert main(["build", str(DATA / "inline_fullwidth.txt"), "-o", str(out), "--no-validate"]) == 0
    capsys.readouterr()
    assert main(["push", str(out), "--endpoint", f"http://127.0.0.1:{free_port()}/query", "-q"]) == 69
    assert "cannot reach http://127.0.0.1:" in capsys.readouterr().err


@pytest.mark.parametrize(("endpoint", "store", "param"), [
    ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/store", "graph"),
    ("http://localhost:3030/policykg/sparql", "http://localhost:3030/policykg/data", "graph"),
    ("http://localhost:3030/policykg/query", "http://localhost:3030/policykg/data", "graph"),
    ("http://localhost:7200/repositories/policykg", "http://localhost:7200/repositories/policykg/rdf-graphs/service",
     "graph"),
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud-auth", "graph-uri"),
])
def test_graph_store_addresses(endpoint: str, store: str, param: str):
    assert graph_store_url(endpoint) == store
    assert graph_param(store) == param


def test_an_unknown_convention_asks_for_the_address():
    from policykg.errors import UsageError

    with pytest.raises(UsageError, match="--graph-store"):
        graph_store_url("http://localhost:9999/")
