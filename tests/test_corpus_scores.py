"""The visible corpus, scored against its hand-made answer keys with shared/tools/score.py."""

from __future__ import annotations

import importlib.util
import json
import os

import pytest

from tests.conftest import SHARED

CORPUS = SHARED / "corpus"
DOCS = sorted(p.name[: -len(".gold.json")] for p in CORPUS.glob("*.gold.json")) if CORPUS.is_dir() else []


def _scorer():
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{CORPUS} is missing in CI")
        pytest.skip("shared/corpus is not beside this checkout")
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures():
    from policykg.extract import extract_file

    score = _scorer()
    out = {}
    for name in DOCS:
        pred = extract_file(str(CORPUS / f"{name}.txt")).to_json()
        pred = json.loads(json.dumps(pred, ensure_ascii=False))
        gold = json.loads((CORPUS / f"{name}.gold.json").read_text(encoding="utf-8"))
        out[name] = score.headline(score.Scorer(pred, gold).run())
    return out


@pytest.mark.parametrize("name", DOCS)
@pytest.mark.parametrize("figure", ["sections_f1", "tasks_f1", "lead_acc", "resp_f1", "dept_f1"])
def test_structure_and_responsibility_figures(figures, name, figure):
    assert figures[name][figure] >= 0.98, figures[name]


MINIMA = {"ind_f1": 0.95, "cmp_acc": 0.95, "year_acc": 0.95, "subject_acc": 0.8, "links_f1": 1.0, "audit_f1": 0.95}


@pytest.mark.parametrize("name", DOCS)
@pytest.mark.parametrize("figure", sorted(MINIMA))
def test_indicator_link_and_audit_figures(figures, name, figure):
    assert figures[name][figure] >= MINIMA[figure], figures[name]


@pytest.mark.parametrize("name", DOCS)
def test_metadata_is_exact(figures, name):
    assert figures[name]["meta_acc"] == 1.0, figures[name]


def test_corpus_is_present():
    assert len(DOCS) >= 3 or not CORPUS.is_dir()
