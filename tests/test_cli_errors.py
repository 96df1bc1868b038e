"""Bad input gets one line on stderr and a documented exit code, never a traceback or a partial file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA, REPO


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "policykg", *args], input=stdin, capture_output=True,
                          cwd=REPO, timeout=120)


def one_line_error(proc: subprocess.CompletedProcess[bytes]) -> str:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    assert err.count("\n") == 1, err
    return err.strip()


def test_empty_file(tmp_path: Path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    proc = run("extract", str(f))
    assert proc.returncode == 65
    assert one_line_error(proc) == f"policykg: error: {f}: empty input"


def test_binary_file(tmp_path: Path):
    f = tmp_path / "x.bin"
    f.write_bytes(bytes(range(256)) * 20)
    proc = run("extract", str(f))
    assert proc.returncode == 65
    assert one_line_error(proc) == f"policykg: error: {f}: binary data, not a text document"


def test_undecodable_bytes(tmp_path: Path):
    f = tmp_path / "bad.txt"
    f.write_bytes("一、总体要求\n".encode() + b"\xff\xfe\xfa\x80\x81" * 10)
    proc = run("extract", str(f))
    assert proc.returncode == 65
    assert "not UTF-8 or GB18030 text" in one_line_error(proc)


def test_no_structure(tmp_path: Path):
    f = tmp_path / "prose.txt"
    f.write_text("这是一段没有任何编号标题的普通文字。它也没有责任单位。\n", encoding="utf-8")
    proc = run("extract", str(f))
    assert proc.returncode == 65
    assert "no recognisable structure" in one_line_error(proc)


def test_missing_file():
    proc = run("extract", "no/such/file.txt")
    assert proc.returncode == 65
    assert one_line_error(proc) == "policykg: error: no/such/file.txt: no such file"


def test_directory_as_input(tmp_path: Path):
    proc = run("extract", str(tmp_path))
    assert proc.returncode == 65
    assert one_line_error(proc) == f"policykg: error: {tmp_path}: is a directory, not a document"


def test_unwritable_output():
    # /proc refuses new files even to root, which is who CI runs as
    proc = run("extract", str(DATA / "chapters.txt"), "-o", "/proc/policykg-out.json")
    assert proc.returncode == 73
    assert one_line_error(proc).startswith("policykg: error: /proc/policykg-out.json: cannot write")


def test_output_into_missing_directory_leaves_nothing(tmp_path: Path):
    target = tmp_path / "nope" / "out.json"
    proc = run("extract", str(DATA / "chapters.txt"), "-o", str(target))
    assert proc.returncode == 73
    assert "does not exist" in one_line_error(proc)
    assert not target.parent.exists()


def test_failed_extraction_keeps_previous_output(tmp_path: Path):
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"   \n")
    proc = run("extract", str(empty), "-o", str(target))
    assert proc.returncode == 65
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "out.json"]


def test_gb18030_and_bom_inputs_give_the_same_extraction(tmp_path: Path):
    text = (DATA / "inline_fullwidth.txt").read_text(encoding="utf-8")
    outputs = []
    for name, data in [("utf8.txt", text.encode("utf-8")), ("bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")),
                       ("gb.txt", text.encode("gb18030"))]:
        f = tmp_path / name
        f.write_bytes(data)
        proc = run("extract", str(f))
        assert proc.returncode == 0, proc.stderr
        result = json.loads(proc.stdout)
        result.pop("source")
        outputs.append(result)
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[2]["tasks"][0]["lead"] == "市市场监管局"


def test_stdin_and_determinism():
    data = (DATA / "inline_fullwidth.txt").read_bytes()
    first = run("extract", "-", stdin=data)
    second = run("extract", "-", stdin=data)
    assert first.returncode == 0
    assert first.stdout == second.stdout
    assert json.loads(first.stdout)["source"] == "<stdin>"


def test_help_lists_commands():
    proc = run("--help")
    assert proc.returncode == 0
    assert b"extract" in proc.stdout and b"exit codes" in proc.stdout


def test_audit_formats():
    example = str(REPO / "examples" / "suzhou-2017-173.txt")
    table = run("audit", example)
    assert table.returncode == 0
    first = table.stdout.decode("utf-8").splitlines()[0]
    as_json = json.loads(run("audit", example, "--format", "json").stdout)
    rows = as_json["unassigned_indicators"]
    assert first == f"suzhou-2017-173.txt: {len(rows)} target(s) no department owns"
    assert rows and all(r["id"].startswith("I") and r["target"] for r in rows)
    csv_lines = run("audit", example, "--format", "csv").stdout.decode("utf-8").splitlines()
    assert csv_lines[0] == "id,subject,target,year,where,suggested_task,suggested_lead,score"
    assert len(csv_lines) == len(rows) + 1


def test_oversized_document_is_refused_quickly(tmp_path: Path):
    f = tmp_path / "huge.txt"
    f.write_text("一、总体要求\n" + "质量" * 600_000, encoding="utf-8")
    proc = run("extract", str(f))
    assert proc.returncode == 65
    assert "too large for one policy document (1,200,007 characters; the limit is 1,000,000" in one_line_error(proc)


def test_utf16_without_bom_is_read(tmp_path: Path):
    text = (DATA / "inline_fullwidth.txt").read_text(encoding="utf-8")
    f = tmp_path / "unicode.txt"
    f.write_bytes(text.encode("utf-16-le"))
    proc = run("extract", str(f))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["tasks"][0]["lead"] == "市市场监管局"


def test_truncated_in_the_middle_of_a_clause(tmp_path: Path):
    text = (DATA / "inline_fullwidth.txt").read_text(encoding="utf-8")
    cut = text.index("（牵头单位：市市场监管局；") + len("（牵头单位：市市场监管局；")
    f = tmp_path / "cut.txt"
    f.write_text(text[:cut], encoding="utf-8")
    proc = run("extract", str(f))
    assert proc.returncode == 0, proc.stderr
    tasks = {t["path"]: t for t in json.loads(proc.stdout)["tasks"]}
    assert tasks["二/（一）/1"]["lead"] == "市市场监管局"
    assert tasks["二/（一）/2"]["lead"] is None  # an unclosed clause names nobody rather than guess


def test_unbalanced_and_nested_brackets(tmp_path: Path):
    f = tmp_path / "brackets.txt"
    f.write_text("一、主要任务\n1.推进（试点（一期）工作。（责任单位：区建管委（区交通委）、区财政局）\n"
                 "2.完善机制（二期。（牵头单位：区发改委\n3.加强保障）））。（区绿化市容局牵头，区水务局配合）\n",
                 encoding="utf-8")
    proc = run("extract", str(f))
    assert proc.returncode == 0, proc.stderr
    tasks = {t["path"]: (t["lead"], t["co"]) for t in json.loads(proc.stdout)["tasks"]}
    assert tasks["一/1"] == ("区建管委（区交通委）", ["区财政局"])
    assert tasks["一/3"] == ("区绿化市容局", ["区水务局"])


def test_50_megabytes_are_refused_in_bounded_time_and_memory(tmp_path: Path):
    f = tmp_path / "50mb.txt"
    line = "（一）加强组织领导。各有关部门要加强协作，形成工作合力。（责任单位：市发改委）\n".encode()
    with f.open("wb") as out:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    probe = ("import resource, subprocess, sys, time; t = time.time(); "
             f"p = subprocess.run([sys.executable, '-m', 'policykg', 'extract', {str(f)!r}], capture_output=True); "
             "print(p.returncode, round(time.time() - t, 1), "
             "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    code, seconds, peak_mb = out.stdout.split()
    assert int(code) == 65
    assert float(seconds) < 10 and int(peak_mb) < 400, out.stdout
