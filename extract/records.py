"""The records an extraction produces, and their JSON view (shared/spec/extraction-json.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]

# the rank of a section read from a table row or an unnumbered duty paragraph, not from a numbered heading
UNNUMBERED_RANK = 9


@dataclass
class DocumentMeta:
    title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    published: str | None = None
    signed: str | None = None
    recipients: list[str] = field(default_factory=list)
    place: str | None = None  # the issuing city/province/district, e.g. 苏州市; used to expand 市X局


@dataclass
class Section:
    path: str
    kind: str  # part | goal | task_group | task | measure
    title: str
    parent: str | None
    span: Span  # the whole section: heading, body and sub-sections
    heading_span: Span  # the heading line (numbering included)
    title_span: Span
    rank: int  # numbering level: 0 chapter/annex, 1 一、, 2 (一), 3 1., 4 (1), 5 ①, UNNUMBERED_RANK
    children: list[str] = field(default_factory=list)


@dataclass
class UnitMention:
    """One responsible unit as written in a clause, expanded (市发改委、经信委 -> 市经信委)."""

    name: str
    span: Span  # the characters the unit was read from (without the distributed prefix)
    role: str  # lead | co
    collective: bool = False


@dataclass
class Clause:
    """A responsibility clause: who leads and who co-operates on the section it closes."""

    text: str
    span: Span
    units: list[UnitMention]
    deadline: str | None = None
    source: str = "inline"  # inline | line | table | duty_heading

    @property
    def lead(self) -> str | None:
        return next((u.name for u in self.units if u.role == "lead"), None)

    @property
    def co(self) -> list[str]:
        lead = self.lead
        out: list[str] = []
        for u in self.units:
            if u.name != lead and u.name not in out:
                out.append(u.name)
        return out


@dataclass
class Task:
    path: str
    title: str
    lead: str | None
    co: list[str]
    responsibility_text: str | None
    deadline: str | None
    span: Span
    responsibility_span: Span | None = None


@dataclass
class Department:
    name: str
    canonical: str | None
    aliases: list[str] = field(default_factory=list)
    mentioned_in: list[str] = field(default_factory=list)
    collective: bool = False


@dataclass
class Indicator:
    id: str
    owner: str | None
    subject: str
    text: str
    value: float | int | None
    value_max: float | int | None
    unit: str | None
    comparator: str | None
    year: int | None
    cumulative: bool
    per_year: bool
    optional: bool
    same_as: str | None
    span: Span


@dataclass
class OwnerSuggestion:
    indicator: str
    task: str
    score: float
    lead: str | None


@dataclass
class Extraction:
    source: str
    text: str
    document: DocumentMeta
    sections: list[Section]
    tasks: list[Task]
    departments: list[Department]
    indicators: list[Indicator] = field(default_factory=list)
    unassigned: list[str] = field(default_factory=list)
    suggestions: list[OwnerSuggestion] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON view: field order fixed so the same input gives byte-identical output."""
        d = self.document
        return {
            "source": self.source,
            "document": {
                "title": d.title,
                "issuer": d.issuer,
                "doc_number": d.doc_number,
                "published": d.published,
                "signed": d.signed,
                "recipients": d.recipients,
            },
            "sections": [
                {"path": s.path, "kind": s.kind, "title": s.title, "parent": s.parent, "span": list(s.span)}
                for s in self.sections
            ],
            "tasks": [
                {
                    "path": t.path,
                    "title": t.title,
                    "lead": t.lead,
                    "co": t.co,
                    "responsibility_text": t.responsibility_text,
                    "deadline": t.deadline,
                    "span": list(t.span),
                    "responsibility_span": list(t.responsibility_span) if t.responsibility_span else None,
                }
                for t in self.tasks
            ],
            "departments": [
                {
                    "name": x.name,
                    "canonical": x.canonical,
                    "aliases": x.aliases,
                    "mentioned_in": x.mentioned_in,
                    "collective": x.collective,
                }
                for x in self.departments
            ],
            "indicators": [
                {
                    "id": i.id,
                    "owner": i.owner,
                    "subject": i.subject,
                    "text": i.text,
                    "value": i.value,
                    "value_max": i.value_max,
                    "unit": i.unit,
                    "comparator": i.comparator,
                    "year": i.year,
                    "cumulative": i.cumulative,
                    "per_year": i.per_year,
                    "optional": i.optional,
                    "same_as": i.same_as,
                    "span": list(i.span),
                }
                for i in self.indicators
            ],
            "audit": {
                "unassigned_indicators": self.unassigned,
                "suggestions": [
                    {"indicator": s.indicator, "task": s.task, "score": round(s.score, 3), "lead": s.lead}
                    for s in self.suggestions
                ],
            },
        }
