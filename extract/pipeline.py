"""The spaCy pipeline: `spacy.blank("zh")` plus rule components, each registered by name.

Every component reads and extends one `PolicyState` on `doc._.policykg`, and mirrors what it found
as spans (`doc.spans["sections"]`, `["departments"]`, `["responsibilities"]`, `["indicators"]`), so a
user can add, replace or drop a component with the usual `nlp.add_pipe` / `nlp.replace_pipe`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from policykg.extract import departments as _departments  # registers policykg_department_ruler
from policykg.extract import indicators as _indicators  # registers policykg_indicators
from policykg.extract.departments import Place, detect_place
from policykg.extract.metadata import parse_metadata
from policykg.extract.normalize import fold
from policykg.extract.records import (
    Clause,
    Department,
    DocumentMeta,
    Indicator,
    OwnerSuggestion,
    Section,
    Task,
)
from policykg.extract.responsibility import find_clauses
from policykg.extract.structure import parse_sections
from policykg.extract.tasks import (
    assemble_tasks,
    collect_departments,
    duty_heading_clauses,
    duty_paragraphs,
    table_rows,
)
from policykg.extract.tokenizer import CharTokenizer, doc_text

COMPONENTS = (
    "policykg_normalize",
    "policykg_metadata",
    "policykg_structure",
    "policykg_department_ruler",
    "policykg_responsibilities",
    "policykg_tasks",
    "policykg_indicators",
)


@dataclass
class PolicyState:
    text: str  # doc.text, kept because Doc.text rebuilds the string from the tokens on every access
    folded: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    place: Place = field(default_factory=lambda: Place(None, None, None))
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)  # ids of indicators no department owns
    suggestions: list[OwnerSuggestion] = field(default_factory=list)


if not Doc.has_extension("policykg"):
    Doc.set_extension("policykg", default=None)


def state(doc: Doc) -> PolicyState:
    """The doc's state, started by policykg_normalize (or here, for a pipeline that lacks it)."""
    if doc._.policykg is None:
        _start_state(doc)
    return doc._.policykg


def _start_state(doc: Doc) -> None:
    text = doc_text(doc)
    doc._.policykg = PolicyState(text=text, folded=fold(text))


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


def _add_spans(doc: Doc, key: str, spans: list[Span | None]) -> None:
    existing = list(doc.spans[key]) if key in doc.spans else []
    doc.spans[key] = existing + [s for s in spans if s is not None]


@Language.component("policykg_normalize")
def normalize_component(doc: Doc) -> Doc:
    _start_state(doc)
    return doc


@Language.component("policykg_metadata")
def metadata_component(doc: Doc) -> Doc:
    st = state(doc)
    st.meta = parse_metadata(st.text, st.folded)
    st.place = detect_place(st.meta.issuer, st.meta.title, st.text)
    st.meta.place = st.place.city or st.place.province
    return doc


@Language.component("policykg_structure")
def structure_component(doc: Doc) -> Doc:
    st = state(doc)
    st.sections = parse_sections(st.text, st.folded)
    rows, row_clauses = table_rows(st.text, st.folded, st.sections)
    duties, duty_clauses = duty_paragraphs(st.text, st.folded, st.sections)
    st.sections = sorted(st.sections + rows + duties, key=lambda s: (s.span[0], -s.span[1]))
    st.clauses = row_clauses + duty_clauses
    _add_spans(doc, "sections", [_span(doc, *s.span, s.kind) for s in st.sections])
    return doc


@Language.component("policykg_responsibilities")
def responsibilities_component(doc: Doc) -> Doc:
    st = state(doc)
    taken = [c.span for c in st.clauses]
    inline = [c for c in find_clauses(st.text, st.folded)
              if not any(c.span[0] < e and s < c.span[1] for s, e in taken)]
    st.clauses = sorted(st.clauses + inline + duty_heading_clauses(st.text, st.folded, st.sections),
                        key=lambda c: c.span)
    _add_spans(doc, "responsibilities", [_span(doc, *c.span, c.source) for c in st.clauses])
    _add_spans(doc, "departments", [_span(doc, *u.span, "DEPT") for c in st.clauses for u in c.units])
    return doc


@Language.component("policykg_tasks")
def tasks_component(doc: Doc) -> Doc:
    st = state(doc)
    st.tasks = assemble_tasks(st.text, st.folded, st.sections, st.clauses)
    st.departments = collect_departments(st.text, st.tasks, st.clauses, st.place)
    return doc


@cache
def build_pipeline() -> Language:
    """The default pipeline (built once per process)."""
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)  # the same tokens as spaCy's "char" segmenter, in linear time
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp


__all__ = ["COMPONENTS", "PolicyState", "_departments", "_indicators", "build_pipeline", "state"]
