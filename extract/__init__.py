"""Text -> structured records: metadata, sections, tasks, departments (and indicators)."""

from __future__ import annotations

from policykg.errors import InputError
from policykg.extract.records import Extraction


def extract_text(text: str, source: str = "<input>") -> Extraction:
    """Run the pipeline over one decoded document; InputError when it has no recognisable structure."""
    from policykg.extract.pipeline import build_pipeline, state

    nlp = build_pipeline()
    if len(text) > nlp.max_length:
        nlp.max_length = len(text) + 1
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
