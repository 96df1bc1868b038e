"""The graph commands end to end: build, validate, who-owns, tasks-of, unassigned, query, and their errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from policykg.cli import main
from policykg.render import json_text, width
from tests.test_graph_sample import EXAMPLE, REPO, example_extraction

OUTPUTS = ["graph.jsonld", "graph.nq", "graph.nt", "graph.trig", "graph.ttl", "suzhou-2017-173.json",
           "validation.txt"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], capture_output=True, cwd=REPO, timeout=300,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    assert main(["build", str(EXAMPLE), "-o", str(out)]) == 0
    return out


def call(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_writes_every_output(built: Path):
    assert sorted(p.name for p in built.iterdir()) == OUTPUTS
    assert (built / "suzhou-2017-173.json").read_text(encoding="utf-8") == json_text(example_extraction().to_json())
    report = (built / "validation.txt").read_text(encoding="utf-8")
    assert report.startswith("SHACL validation against ontology/shapes.ttl: conforms: 0 violations")


def test_build_is_byte_identical_in_another_process(built: Path, tmp_path: Path):
    proc = run("build", str(EXAMPLE), "-o", str(tmp_path), env={"PYTHONHASHSEED": "12345"})
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr.decode().startswith(f"policykg: wrote {tmp_path}/ (1 document, ")
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_who_owns_by_path_in_either_bracket_width(built: Path, capsys: pytest.CaptureFixture[str]):
    task = next(t for t in example_extraction().tasks if t.lead)
    for path in (task.path, task.path.replace("（", "(").replace("）", ")")):
        code, out, _ = call(capsys, "who-owns", str(built), path, "--format", "json")
        assert code == 0
        (row,) = json.loads(out)
        assert (row["task"], row["lead"], row["co"]) == (task.path, task.lead, task.co)
    code, out, _ = call(capsys, "who-owns", str(built), task.path)
    lines = out.splitlines()
    assert lines[0].split() == ["task", "title", "lead", "co"]
    assert task.lead in lines[2] and "、".join(task.co) in lines[2]


def test_who_owns_by_title_fragment(built: Path, capsys: pytest.CaptureFixture[str]):
    code, out, _ = call(capsys, "who-owns", str(built), "品牌", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    expected = [t for t in example_extraction().tasks if "品牌" in t.title]
    assert [r["task"] for r in rows] == [t.path for t in expected] and rows


def test_tasks_of_by_alias(built: Path, capsys: pytest.CaptureFixture[str]):
    ex = example_extraction()
    dept = next(d for d in ex.departments if d.aliases)
    code, out, _ = call(capsys, "tasks-of", str(built), dept.aliases[0], "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {r["task"] for r in rows} == set(dept.mentioned_in)
    assert {r["task"] for r in rows if r["role"] == "lead"} == {t.path for t in ex.tasks if t.lead == dept.name}
    code, table, _ = call(capsys, "tasks-of", str(built), dept.name)
    assert table.splitlines()[0].startswith(f"{dept.canonical or dept.name}: leads ")


def test_unassigned_is_the_audit(built: Path, capsys: pytest.CaptureFixture[str]):
    code, out, _ = call(capsys, "unassigned", str(built), "--format", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(out)] == example_extraction().unassigned
    code, table, _ = call(capsys, "unassigned", str(built))
    assert table.startswith(f"{len(example_extraction().unassigned)} quantitative targets no department owns")


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt", "graph.trig", "graph.jsonld"])
def test_every_graph_format_answers_alike(built: Path, capsys: pytest.CaptureFixture[str], name: str):
    expected = call(capsys, "unassigned", str(built / "graph.nq"), "--format", "csv")[1]
    assert call(capsys, "unassigned", str(built / name), "--format", "csv")[1] == expected


def test_query_select_ask_construct_and_file(built: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, out, _ = call(capsys, "query", str(built), "SELECT (COUNT(*) AS ?n) WHERE { ?t a pkg:Task }",
                        "--format", "json")
    assert code == 0 and json.loads(out) == [{"n": len(example_extraction().tasks)}]
    assert call(capsys, "query", str(built), "ASK { ?t pkg:leadDepartment ?d }")[1] == "true\n"
    code, out, _ = call(capsys, "query", str(built),
                        "CONSTRUCT { ?t pkg:leadDepartment ?d } WHERE { ?t pkg:leadDepartment ?d }")
    assert code == 0 and out.count("pkg:leadDepartment") == sum(1 for t in example_extraction().tasks if t.lead)
    rq = tmp_path / "titles.rq"
    rq.write_text("SELECT ?title WHERE { ?t a pkg:Task ; dcterms:title ?title } ORDER BY ?title", encoding="utf-8")
    code, out, _ = call(capsys, "query", str(built), str(rq), "--format", "csv")
    assert out.splitlines()[1:] == sorted(t.title for t in example_extraction().tasks)


def test_table_columns_line_up_with_chinese_text(built: Path, capsys: pytest.CaptureFixture[str]):
    _, out, _ = call(capsys, "unassigned", str(built))
    lines = out.splitlines()[2:]
    header, rule = lines[0], lines[1]
    starts = [i for i, c in enumerate(rule) if c == "-" and (i == 0 or rule[i - 1] == " ")]
    for line in lines[2:]:
        for col in starts[1:]:  # every column starts at the same display column in every row
            prefix, acc = "", 0
            for ch in line:
                if acc >= col:
                    break
                prefix, acc = prefix + ch, acc + width(ch)
            assert acc == col and prefix.endswith("  "), (line, col)
    assert header.split() == ["id", "owner", "subject", "target"]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["query", "@built", "SELECT * WHERE { ?s ?p }"], 64, "malformed SPARQL query: "),
    (["who-owns", "@built", "没有这个任务"], 64, "unknown task '没有这个任务'"),
    (["tasks-of", "@built", "没有这个局"], 64, "unknown department '没有这个局'"),
    (["tasks-of", "@built", "局"], 64, "ambiguous department '局'"),
    (["unassigned", "@missing"], 65, "no such file or directory"),
    (["who-owns", "@notgraph", "1"], 65, "not a graph file"),
    (["unassigned", "@badttl"], 65, "not valid Turtle"),
    (["unassigned", "@emptydir"], 65, "no graph file in this directory"),
    (["query", "@built", "missing.rq"], 65, "missing.rq: no such query file"),
    (["build", "@example", "-o", "@tmp", "--formats", "ttl,xml"], 64, "unknown format xml"),
    (["build", "@missing", "-o", "@tmp"], 65, "no such file or directory"),
])
def test_bad_input_gives_one_clear_line(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        args: list[str], code: int, message: str):
    (tmp_path / "bad.ttl").write_text("this is not turtle", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    paths = {"@built": str(built), "@missing": str(tmp_path / "nothing.nq"), "@notgraph": str(tmp_path / "notes.md"),
             "@badttl": str(tmp_path / "bad.ttl"), "@emptydir": str(tmp_path / "empty"), "@example": str(EXAMPLE),
             "@tmp": str(tmp_path / "out")}
    got, out, err = call(capsys, *(paths.get(a, a) for a in args))
    assert got == code
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("policykg: error: ") and message in err, err


def test_errors_print_no_traceback(tmp_path: Path):
    proc = run("who-owns", str(tmp_path / "nothing"), "1")
    assert proc.returncode == 65
    assert proc.stderr.decode() == f"policykg: error: {tmp_path / 'nothing'}: no such file or directory\n"


def test_validate(built: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code, out, _ = call(capsys, "validate", str(built / "graph.ttl"), "--format", "json")
    assert code == 0 and json.loads(out)["conforms"] is True
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix pkg: <https://w3id.org/policykg/ns#> .\n"
                      "<https://w3id.org/policykg/id/doc/x/section/1> a pkg:Task ;\n"
                      "  pkg:leadDepartment <https://w3id.org/policykg/id/org/x> .\n", encoding="utf-8")
    code, out, _ = call(capsys, "validate", str(broken))
    assert code == 3
    assert out.startswith("SHACL validation against ontology/shapes.ttl: does not conform: ")
    assert "the lead department is not backed by a qualified attribution" in out


def test_help_stays_light():
    probe = ("import sys; from policykg.cli import build_parser; build_parser(); "
             "print(sorted(m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'spacy') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, cwd=REPO, timeout=60)
    assert proc.stdout.decode().strip() == "[]", proc.stderr.decode()


def _readme_sessions() -> list[tuple[list[str], str]]:
    """(arguments, output) of each `$ policykg …` shown in the README's graph section (or its snippet); a command
    may continue on lines indented by four spaces."""
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    if "## The knowledge graph" not in text:
        text = (REPO / "graph" / "README-snippet.md").read_text(encoding="utf-8")
    sessions: list[tuple[str, list[str]]] = []
    for block in text.split("```")[1::2]:
        for line in block.strip("\n").splitlines():
            if line.startswith("$ "):
                sessions.append((line[2:], []))
            elif sessions and line.startswith("    ") and not sessions[-1][1]:
                sessions[-1] = (sessions[-1][0] + " " + line.strip(), [])
            elif sessions:
                sessions[-1][1].append(line)
    return [(shlex.split(cmd)[1:], "\n".join(out) + "\n") for cmd, out in sessions if cmd.startswith("policykg ")]


def test_the_readme_commands_run_as_shown(built: Path, capsys: pytest.CaptureFixture[str]):
    """The README's graph commands run and print the tables it shows. Only the shape is compared: the rows
    follow the extractor, which moves on; regenerate the README section when they change."""
    shown = {args[0]: (args, out) for args, out in _readme_sessions() if args[0] != "build"}
    assert {"who-owns", "tasks-of", "unassigned", "query"} <= set(shown)
    for args, out in shown.values():
        code, got, _ = call(capsys, *(str(built) if a == "out/" else a for a in args))
        assert code == 0, args
        header = next(line for line in out.splitlines() if line.startswith(("task ", "role ", "id ", "label ")))
        assert header.split() in [line.split() for line in got.splitlines()], args
    args, out = shown["who-owns"]
    task = next(t for t in example_extraction().tasks if t.path.replace("（", "(").replace("）", ")") == args[2])
    assert f"{task.lead}  {'、'.join(task.co)}" in out
