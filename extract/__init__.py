"""Text -> structured records: metadata, sections, tasks, departments (and indicators)."""

from __future__ import annotations

import os

from policykg.errors import InputError
from policykg.extract.records import Extraction

# A policy document runs to tens of thousands of characters; a million is far beyond any real one and
# keeps one extraction within about a minute and a gigabyte. POLICYKG_MAX_CHARS raises the limit.
DEFAULT_MAX_CHARS = 1_000_000


def max_chars() -> int:
    value = os.environ.get("POLICYKG_MAX_CHARS", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_CHARS


def extract_text(text: str, source: str = "<input>") -> Extraction:
    """Run the pipeline over one decoded document; InputError when it has no recognisable structure."""
    from policykg.extract.pipeline import build_pipeline, state

    limit = max_chars()
    if len(text) > limit:
        raise InputError(
            f"{source}: too large for one policy document ({len(text):,} characters; the limit is {limit:,}, "
            "set POLICYKG_MAX_CHARS to raise it)"
        )
    nlp = build_pipeline()
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    doc = nlp(text)
    st = state(doc)
    if not st.sections and not st.clauses:
        raise InputError(
            f"{source}: no recognisable structure (no numbered headings such as 一、 （一） 1. 第一章, "
            "and no responsibility clauses)"
        )
    return Extraction(
        source=source,
        text=text,
        document=st.meta,
        sections=st.sections,
        tasks=st.tasks,
        departments=st.departments,
        indicators=st.indicators,
        unassigned=st.unassigned,
        suggestions=st.suggestions,
    )


def extract_file(source: str) -> Extraction:
    """Read (path or '-') and extract one document."""
    from policykg.extract.reader import read_source

    text, name = read_source(source)
    return extract_text(text, name)
