"""Property-based fuzzing of the extractor over mutated real documents.

The normal test run tries a few hundred inputs; the dedicated run tries ten thousand or more:
    HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz_extract.py
Invariants: only InputError escapes; every span points at exactly its text; every task's lead and
co-operating units are departments; the JSON view has the spec's shape; extraction is deterministic.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policykg.errors import InputError
from policykg.extract import extract_text
from tests.conftest import DATA, SHARED

settings.register_profile("default", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile("default")


def _seeds() -> list[str]:
    paths = sorted((SHARED / "corpus").glob("*.txt")) + sorted(DATA.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


SEEDS = _seeds()
NOISE = st.sampled_from(list("（）()一二三1.、，,；;：:。\n “”《》〔〕牵头单位责任配合市区县局委办0２％—"))


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    seed = draw(st.sampled_from(SEEDS))
    start = draw(st.integers(0, max(0, len(seed) - 200)))
    text = seed[start:start + draw(st.integers(200, 4000))]
    for _ in range(draw(st.integers(0, 12))):
        if not text:
            break
        pos = draw(st.integers(0, len(text) - 1))
        op = draw(st.sampled_from(["insert", "delete", "duplicate", "swap_line", "truncate"]))
        if op == "insert":
            text = text[:pos] + draw(st.text(NOISE, min_size=1, max_size=6)) + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + draw(st.integers(1, 30)):]
        elif op == "duplicate":
            end = min(len(text), pos + draw(st.integers(1, 200)))
            text = text[:end] + text[pos:end] + text[end:]
        elif op == "swap_line":
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            text = text[:pos]
    return text


def _check_spec_shape(view: dict) -> None:
    assert set(view) >= {"document", "sections", "tasks", "departments", "indicators", "audit"}
    doc = view["document"]
    for key in ("title", "issuer", "doc_number", "published", "signed"):
        assert doc[key] is None or isinstance(doc[key], str)
    assert all(isinstance(r, str) for r in doc["recipients"])
    paths = {s["path"] for s in view["sections"]}
    assert len(paths) == len(view["sections"]), "section paths are unique"
    for s in view["sections"]:
        assert s["kind"] in {"part", "goal", "task_group", "task", "measure"}
        assert s["parent"] is None or s["parent"] in paths
    for t in view["tasks"]:
        assert t["path"] in paths
        assert t["lead"] is None or isinstance(t["lead"], str)
        assert all(isinstance(c, str) for c in t["co"])
    ids = {i["id"] for i in view["indicators"]}
    for i in view["indicators"]:
        assert i["comparator"] in {None, ">=", ">", "=", "<=", "<", "~"}
        assert i["owner"] is None or i["owner"] in paths
        assert i["same_as"] is None or i["same_as"] in ids
        assert i["year"] is None or isinstance(i["year"], int)
    assert set(view["audit"]["unassigned_indicators"]) <= ids


@given(mutated_documents())
def test_extractor_invariants(text: str) -> None:
    try:
        ex = extract_text(text, "fuzz")
    except InputError:
        return
    for s in ex.sections:
        assert 0 <= s.span[0] <= s.span[1] <= len(text)
        assert text[s.title_span[0]:s.title_span[1]] == s.title
    for t in ex.tasks:
        assert 0 <= t.span[0] <= t.span[1] <= len(text)
        if t.responsibility_span:
            assert 0 <= t.responsibility_span[0] <= t.responsibility_span[1] <= len(text)
    for i in ex.indicators:
        assert text[i.span[0]:i.span[1]] == i.text
    departments = {d.name for d in ex.departments}
    for t in ex.tasks:
        assert (t.lead is None and not t.co) or t.lead in departments
        assert set(t.co) <= departments
    view = json.loads(json.dumps(ex.to_json(), ensure_ascii=False))
    _check_spec_shape(view)
    assert extract_text(text, "fuzz").to_json() == ex.to_json()
