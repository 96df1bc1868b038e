"""`policykg build DIR`: every document format, failures reported and skipped, the same bytes whatever the
number of workers, one node per department across documents, and incremental rebuilds."""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import shutil
from pathlib import Path

import pytest

from policykg.cli import main
from policykg.graph.corpus import output_keys
from tests.conftest import DATA

REPO = Path(__file__).resolve().parents[1]


def write_corpus(root: Path) -> Path:
    """Four documents (UTF-8, GB18030, an HTML page, one in a sub-directory), a broken one and a note."""
    root.mkdir(parents=True)
    first = (DATA / "inline_fullwidth.txt").read_text(encoding="utf-8")
    (root / "a.txt").write_text(first, encoding="utf-8")
    second = first.replace("〔2024〕12号", "〔2024〕13号").replace("推进质量提升行动方案", "推进品牌建设行动方案")
    (root / "b.txt").write_bytes(second.encode("gb18030"))
    lines = (DATA / "label_lines.txt").read_text(encoding="utf-8").splitlines()
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例区</title></head><body>'
            '<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div><div class="article">'
            + "".join(f"<p>{html.escape(line)}</p>" for line in lines)
            + '</div><div class="footer">主办：示例区人民政府办公室</div></body></html>')
    (root / "c.html").write_text(page, encoding="utf-8")
    (root / "sub").mkdir()
    shutil.copy(DATA / "task_table.txt", root / "sub" / "d.txt")
    (root / "bad.txt").write_bytes(bytes(range(256)) * 8)
    (root / "notes.md").write_text("where these came from\n", encoding="utf-8")
    return root


def build(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["build", *args, "--quiet"])
    return code, capsys.readouterr().err


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "docs")


@pytest.fixture(scope="module")
def builds(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[int, str, Path]]:
    out: dict[int, tuple[int, str, Path]] = {}
    for workers in (1, 2):  # module scope has no capsys
        target = tmp_path_factory.mktemp(f"out{workers}")
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            code = main(["build", str(corpus), "-o", str(target), "--workers", str(workers), "--quiet"])
        out[workers] = (code, err.getvalue(), target)
    return out


def test_one_and_two_workers_write_the_same_bytes(builds: dict[int, tuple[int, str, Path]]):
    one, two = tree(builds[1][2]), tree(builds[2][2])
    assert one == two
    assert {"graph.nq", "unassigned.csv", "overview.html", "validation.txt", "manifest.json", "failures.json",
            "a.json", "b.json", "c.json", "sub/d.json", "documents/sub/d.nq"} <= set(one)
    assert not {"graph.ttl", "graph.nt", "graph.trig", "graph.jsonld"} & set(one)  # a directory: nq by default


def test_other_formats_when_asked(corpus: Path, builds: dict[int, tuple[int, str, Path]], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]):
    from policykg.graph.store import load_memory

    out = tmp_path / "out"
    code, err = build(capsys, str(corpus), "-o", str(out), "-j", "1", "--formats", "nt,nq,trig,ttl,jsonld")
    assert code == 2, err
    assert (out / "graph.nq").read_bytes() == (builds[1][2] / "graph.nq").read_bytes()
    merged = set(load_memory(str(out / "graph.nq")))
    assert set(load_memory(str(out / "graph.nt"))) == merged
    assert set(load_memory(str(out / "graph.ttl"))) == merged
    assert f", {len(merged)} triples;" in err
    label = '<http://www.w3.org/2004/02/skos/core#prefLabel> "市市场监管局"@zh .'
    nt = (out / "graph.nt").read_text(encoding="utf-8")
    assert len([line for line in nt.splitlines() if line.endswith(label)]) == 1  # one node across documents


def test_the_audit_equals_the_unassigned_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(REPO / "examples" / "suzhou-2017-173.txt", docs / "z-suzhou.txt")  # 28 targets nobody owns
    shutil.copy(DATA / "duty_paragraphs.txt", docs / "a-duties.txt")  # 1
    shutil.copy(DATA / "inline_fullwidth.txt", docs / "m-inline.txt")  # none
    out = tmp_path / "out"
    code, err = build(capsys, str(docs), "-o", str(out), "-j", "2", "--no-validate")
    assert code == 0, err
    assert main(["unassigned", str(out), "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    assert (out / "unassigned.csv").read_text(encoding="utf-8") == printed
    assert len(printed.splitlines()) == 1 + 28 + 1
    assert len({line.split(",")[0] for line in printed.splitlines()[1:]}) == 2

    # a rebuild keeps the unchanged documents' rows from the manifest
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sum(len(d.get("unassigned", [])) for d in manifest["documents"]) == 29
    (docs / "m-inline.txt").unlink()
    code, err = build(capsys, str(docs), "-o", str(out), "-j", "1", "--no-validate")
    assert code == 0 and "(0 extracted, 2 unchanged)" in err
    assert (out / "unassigned.csv").read_text(encoding="utf-8") == printed

    # a manifest without the rows (an earlier build): computed from the documents' graphs, not re-extracted
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for d in manifest["documents"]:
        d.pop("unassigned", None)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, err = build(capsys, str(docs), "-o", str(out), "-j", "1", "--no-validate")
    assert code == 0 and "(0 extracted, 2 unchanged)" in err
    assert (out / "unassigned.csv").read_text(encoding="utf-8") == printed


def test_a_bad_document_is_reported_and_the_rest_are_built(builds: dict[int, tuple[int, str, Path]]):
    code, err, out = builds[2]
    assert code == 2
    failures = json.loads((out / "failures.json").read_text(encoding="utf-8"))
    assert [f["source"] for f in failures] == ["bad.txt"]
    assert "binary" in failures[0]["reason"]
    assert "policykg: failed: bad.txt: binary" in err
    assert "skipped 1 file that is not a document (.md): notes.md" in err
    assert "4 documents, 1 failed (5 extracted, 0 unchanged)" in err
    nq = (out / "graph.nq").read_text(encoding="utf-8")
    assert len({line.rsplit(" ", 2)[-2] for line in nq.splitlines()}) == 4  # one named graph per document


def test_manifest_records_each_source(builds: dict[int, tuple[int, str, Path]], corpus: Path):
    manifest = json.loads((builds[1][2] / "manifest.json").read_text(encoding="utf-8"))
    docs = {d["source"]: d for d in manifest["documents"]}
    assert sorted(docs) == ["a.txt", "b.txt", "bad.txt", "c.html", "sub/d.txt"]
    assert docs["b.txt"]["sha256"] == hashlib.sha256((corpus / "b.txt").read_bytes()).hexdigest()
    assert docs["c.html"]["graph"] == "documents/c.nq" and docs["c.html"]["json"] == "c.json"
    assert docs["bad.txt"]["status"] == "failed" and "graph" not in docs["bad.txt"]
    assert manifest["skipped"] == [{"source": "notes.md", "reason": "not a document type (.md)"}]


def test_corpus_validation_equals_validating_the_merged_graph(builds: dict[int, tuple[int, str, Path]]):
    from policykg.graph.store import load_memory
    from policykg.graph.validate import validate

    out = builds[1][2]
    assert (out / "validation.txt").read_text(encoding="utf-8") == validate(load_memory(str(out))).text()


def test_a_department_is_one_node_across_documents(builds: dict[int, tuple[int, str, Path]],
                                                   capsys: pytest.CaptureFixture[str]):
    out = builds[1][2]
    nq = (out / "graph.nq").read_text(encoding="utf-8")
    label = ' <http://www.w3.org/2004/02/skos/core#prefLabel> "市市场监管局"@zh <'
    stated = [line.split(" ", 1)[0] for line in nq.splitlines() if label in line]
    assert len(stated) == 2 and len(set(stated)) == 1  # in both documents' graphs, about the same node
    assert main(["tasks-of", str(out), "市市场监管局", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["document"] for r in records} == {"示府办〔2024〕12号", "示府办〔2024〕13号"}


def test_the_overview_page_holds_every_built_document(builds: dict[int, tuple[int, str, Path]]):
    out = builds[1][2]
    page = (out / "overview.html").read_text(encoding="utf-8")
    data = json.loads(page.split('<script id="pkg-data" type="application/json">', 1)[1].split("</script>")[0])
    views = [json.loads((out / f"{k}.json").read_text(encoding="utf-8")) for k in ("a", "b", "c", "sub/d")]
    assert sorted(d["source"] for d in data["docs"]) == sorted(v["source"] for v in views)
    assert {d["doc_number"] for d in data["docs"]} >= {"示府办〔2024〕12号", "示府办〔2024〕13号"}
    market = [d for d in data["depts"] if "市场监" in d["name"]]
    assert len(market) == 1 and market[0]["docs"] == 2  # the department of a.txt and b.txt is one node


def test_rebuild_extracts_only_what_changed(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch):
    import policykg.extract

    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    out = tmp_path / "out"
    assert build(capsys, str(docs), "-o", str(out), "-j", "1", "--no-validate")[0] == 2
    before = {p.name: p.stat().st_mtime_ns for p in (out / "documents").rglob("*.nq")}
    calls: list[str] = []
    real = policykg.extract.extract_file
    monkeypatch.setattr(policykg.extract, "extract_file", lambda path: calls.append(Path(path).name) or real(path))

    text = (docs / "a.txt").read_text(encoding="utf-8")
    (docs / "a.txt").write_text(text.replace("建设计量测试中心", "建设计量测试中心和检测平台"), encoding="utf-8")
    code, err = build(capsys, str(docs), "-o", str(out), "-j", "1", "--no-validate")
    assert (code, calls) == (2, ["a.txt"])
    assert "(1 extracted, 4 unchanged)" in err
    after = {p.name: p.stat().st_mtime_ns for p in (out / "documents").rglob("*.nq")}
    assert {n for n in before if before[n] != after[n]} == {"a.nq"}
    assert "检测平台" in (out / "graph.nq").read_text(encoding="utf-8")

    calls.clear()
    (docs / "sub" / "d.txt").unlink()
    (docs / "bad.txt").unlink()
    code, err = build(capsys, str(docs), "-o", str(out), "-j", "1", "--no-validate")
    assert (code, calls) == (0, [])
    assert not (out / "sub" / "d.json").exists() and not (out / "documents" / "sub" / "d.nq").exists()
    assert json.loads((out / "failures.json").read_text(encoding="utf-8")) == []
    fresh = tmp_path / "fresh"
    assert build(capsys, str(docs), "-o", str(fresh), "-j", "1", "--no-validate")[0] == 0
    assert tree(fresh) == tree(out)


def test_every_format_of_one_document_is_one_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    fx = pytest.importorskip("tests.data.formats.make_fixtures")
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = fx.suzhou_lines()
    shutil.copy(REPO / "examples" / "suzhou-2017-173.txt", docs / "a-suzhou.txt")
    (docs / "b-portal.html").write_bytes(fx.portal_page(lines))
    (docs / "c-attachment.docx").write_bytes(fx.suzhou_docx(lines))
    (docs / "d-attachment.pdf").write_bytes(fx.suzhou_pdf(lines))
    code, err = build(capsys, str(docs), "-o", str(tmp_path / "out"), "-j", "1", "--no-validate")
    assert code == 0, err
    for name in ("b-portal.html", "c-attachment.docx", "d-attachment.pdf"):
        assert f"policykg: note: {name} is the same document as a-suzhou.txt" in err
    assert "1 document, 3 duplicates (4 extracted, 0 unchanged)" in err


def test_nothing_built_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    code, err = build(capsys, str(docs), "-o", str(tmp_path / "out"), "-j", "1")
    assert code == 65
    assert "policykg: failed: empty.txt: empty input" in err
    assert json.loads((tmp_path / "out" / "failures.json").read_text(encoding="utf-8"))[0]["source"] == "empty.txt"


def test_output_inside_the_input_is_passed_over_and_the_input_itself_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(DATA / "inline_fullwidth.txt", docs / "a.txt")
    (docs / "out").mkdir()
    (docs / "out" / "graph.html").write_text("<html></html>", encoding="utf-8")
    code, err = build(capsys, str(docs), "-o", str(docs / "out"), "-j", "1", "--no-validate")
    assert code == 0 and "skipped" not in err and "1 document (1 extracted" in err
    code, err = build(capsys, str(docs), "-o", str(docs), "-j", "1")
    assert code == 64 and "must not be the input directory" in err


def test_output_names_stay_apart():
    assert output_keys(["a.txt", "a.html", "b/c.pdf", "manifest.txt"]) == {
        "a.txt": "a.txt", "a.html": "a.html", "b/c.pdf": "b/c", "manifest.txt": "manifest.txt"}
