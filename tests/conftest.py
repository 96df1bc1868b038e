from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def extract():
    from policykg.extract import extract_text

    cache: dict[str, object] = {}

    def run(name: str):
        if name not in cache:
            cache[name] = extract_text((DATA / name).read_text(encoding="utf-8"), name)
        return cache[name]

    return run
