"""Tasks and their owners: attach each responsibility clause to the section it closes.

A clause belongs to the deepest section whose text contains it (the item it closes, or the
sub-section when the sub-section has no numbered items). Also read here: duty parts whose headings
are departments (四、职责分工 / （一）区建管委), and the rows of flattened task tables.
"""

from __future__ import annotations

import re

from policykg.extract.departments import Place, canonical_name
from policykg.extract.records import UNNUMBERED_RANK, Clause, Department, Section, Task
from policykg.extract.responsibility import leading_units, parse_units
from policykg.extract.tables import TaskTable, find_task_tables
from policykg.extract.text_utils import BLANK, lines_with_offsets, strip_span

_DUTY_PART = re.compile(
    r"职责分工|责任分工|分工与职责|分工和职责|主要职责|工作职责|部门职责|职责任务|任务分工|责任主体"
)
_DEADLINE = re.compile(
    r"(“[^”]{2,6}”期间|\"[^\"]{2,6}\"期间|(?:到|至)\d{4}年(?:\d{1,2}月)?(?:底|末)?(?:前)?|"
    r"\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|末)(?:前|以前|之前)?|\d{4}年(?:\d{1,2}月)?(?:\d{1,2}日)?(?:前|以前|之前))"
)


def duty_heading_clauses(text: str, folded: str, sections: list[Section]) -> list[Clause]:
    """In a 职责分工 part, a heading that names departments is the responsibility of its section."""
    by_path = {s.path: s for s in sections}
    clauses: list[Clause] = []
    for s in sections:
        if s.parent is None or s.rank == UNNUMBERED_RANK or not _DUTY_PART.search(_top(s, by_path).title):
            continue
        start, end = s.title_span
        units = parse_units(text, folded, start, end, strict=True)[0] if end > start else []
        if not units:
            start, end = strip_span(folded, s.title_span[0], s.heading_span[1])
            units = leading_units(text, folded, start, end)
            end = max((u.span[1] for u in units), default=start)
        if units:
            clauses.append(Clause(text=text[start:end], span=(start, end), units=units, source="duty_heading"))
    return clauses


def duty_paragraphs(text: str, folded: str, sections: list[Section]) -> tuple[list[Section], list[Clause]]:
    """Unnumbered paragraphs of a duty part that open with a department become tasks of that department."""
    by_path = {s.path: s for s in sections}
    new_sections: list[Section] = []
    clauses: list[Clause] = []
    used = set(by_path)
    for part in sections:
        if part.parent is not None or not _DUTY_PART.search(part.title):
            continue
        for start, end in own_ranges(part, by_path):
            for line_start, line_end, _ in lines_with_offsets(folded[start:end]):
                s, e = strip_span(folded, start + line_start, start + line_end)
                if s >= e or s < part.heading_span[1]:
                    continue
                units = leading_units(text, folded, s, e)
                if not units:
                    continue
                name = units[0].name
                path = f"{part.path}/{name}"
                while path in used:
                    path += "'"
                used.add(path)
                unit_end = units[-1].span[1]
                new_sections.append(Section(
                    path=path, kind="task", title=text[s:unit_end], parent=part.path, span=(s, e),
                    heading_span=(s, e), title_span=(s, unit_end), rank=UNNUMBERED_RANK,
                ))
                part.children.append(path)
                clauses.append(Clause(text=text[s:unit_end], span=(s, unit_end), units=units,
                                      source="duty_heading"))
    return new_sections, clauses


def _top(s: Section, by_path: dict[str, Section]) -> Section:
    while s.parent is not None:
        s = by_path[s.parent]
    return s


def table_rows(text: str, folded: str, sections: list[Section]) -> tuple[list[Section], list[Clause]]:
    """Sections (kind task) and clauses for the rows of every flattened task table."""
    new_sections: list[Section] = []
    clauses: list[Clause] = []
    used = {s.path for s in sections}
    for n, table in enumerate(find_task_tables(text), start=1):
        parent = _deepest_containing(sections, table.span[0])
        base = parent.path if parent else f"表{n}"
        for row in table.rows:
            path = f"{base}/{row.number}"
            while path in used:
                path += "'"
            used.add(path)
            title_span = _row_title_span(text, folded, row.task_span)
            section = Section(path=path, kind="task", title=text[title_span[0]:title_span[1]],
                              parent=parent.path if parent else None, span=row.span,
                              heading_span=row.task_span, title_span=title_span, rank=UNNUMBERED_RANK)
            if parent:
                parent.children.append(path)
            new_sections.append(section)
            clause = _row_clause(text, folded, row, table)
            if clause:
                clauses.append(clause)
    return new_sections, clauses


def _row_title_span(text: str, folded: str, span: tuple[int, int]) -> tuple[int, int]:
    """A task cell's first clause: its action phrase."""
    start, end = span
    stop = min((i for i in (folded.find(c, start, end) for c in "。;,\n") if i >= 0), default=end)
    return strip_span(text, start, stop)


def _row_clause(text: str, folded: str, row, table: TaskTable) -> Clause | None:
    units = []
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    for cell_span, role in ((row.lead_span, "lead"), (row.co_span, "co")):
        if not cell_span:
            continue
        found, _ = parse_units(text, folded, cell_span[0], cell_span[1], strict=False)
        for u in found:
            u.role = role
        units += found
        parts.append(text[cell_span[0]:cell_span[1]])
        spans.append(cell_span)
    if not units:
        return None
    lead_done = False
    for u in units:
        if u.role == "lead" and not lead_done:
            lead_done = True
        else:
            u.role = "co"
    if not lead_done:
        units[0].role = "lead"
    span = (min(s for s, _ in spans), max(e for _, e in spans))
    return Clause(text="；".join(parts), span=span, units=units, deadline=row.deadline, source="table")


def _deepest_containing(sections: list[Section], pos: int) -> Section | None:
    found = None
    for s in sections:
        if s.span[0] <= pos < s.span[1] and (found is None or s.span[0] >= found.span[0]):
            found = s
    return found


def assemble_tasks(text: str, folded: str, sections: list[Section], clauses: list[Clause]) -> list[Task]:
    """One task per task section and per other section that carries a clause, in reading order."""
    attached: dict[str, list[Clause]] = {}
    for clause in clauses:
        owner = _deepest_containing(sections, clause.span[0])
        if owner is not None:
            attached.setdefault(owner.path, []).append(clause)
    by_path = {s.path: s for s in sections}
    tasks: list[Task] = []
    for s in sections:
        own = attached.get(s.path, []) or _inherited_duty(s, attached, by_path)
        if s.kind != "task" and not attached.get(s.path):
            continue
        tasks.append(_task(text, folded, s, own, by_path))
    return tasks


def _inherited_duty(s: Section, attached: dict[str, list[Clause]], by_path: dict[str, Section]) -> list[Clause]:
    """Under a department heading of a duty part (（一）区建管委 / 1.… 2.…), the items are that department's."""
    parent = s.parent
    while parent is not None:
        duty = [c for c in attached.get(parent, []) if c.source == "duty_heading"]
        if duty:
            return duty
        parent = by_path[parent].parent
    return []


def _task(text: str, folded: str, s: Section, clauses: list[Clause], by_path: dict[str, Section]) -> Task:
    lead = next((c.lead for c in clauses if c.lead), None)
    co: list[str] = []
    for c in clauses:
        for name in [u.name for u in c.units]:
            if name != lead and name not in co:
                co.append(name)
    deadline = next((c.deadline for c in clauses if c.deadline), None) or _own_deadline(folded, text, s, by_path)
    return Task(
        path=s.path,
        title=s.title,
        lead=lead,
        co=co,
        responsibility_text="；".join(c.text for c in clauses) or None,
        deadline=deadline,
        span=s.span,
        responsibility_span=(clauses[0].span[0], clauses[-1].span[1]) if clauses else None,
    )


def own_ranges(s: Section, by_path: dict[str, Section]) -> list[tuple[int, int]]:
    """The parts of a section's span not inside any of its sub-sections."""
    ranges: list[tuple[int, int]] = []
    pos = s.span[0]
    for child in sorted((by_path[c] for c in s.children), key=lambda c: c.span):
        if child.span[0] > pos:
            ranges.append((pos, child.span[0]))
        pos = max(pos, child.span[1])
    if pos < s.span[1]:
        ranges.append((pos, s.span[1]))
    return ranges


def _own_deadline(folded: str, text: str, s: Section, by_path: dict[str, Section]) -> str | None:
    """The latest deadline phrase the section's own text states (its final completion date)."""
    found: list[tuple[str, str]] = []
    for start, end in own_ranges(s, by_path):
        for m in _DEADLINE.finditer(folded, start, end):
            found.append((_sort_key(m.group(0)), text[m.start():m.end()]))
    if not found:
        return None
    return max(found)[1]


def _sort_key(phrase: str) -> str:
    m = re.search(r"(\d{4})年(?:(\d{1,2})月)?", phrase)
    if not m:
        return "9999"  # a plan period such as “十四五”期间 is the widest horizon
    month = int(m.group(2)) if m.group(2) else 12
    return f"{m.group(1)}-{month:02d}-{'b' if '底' in phrase or '末' in phrase else 'a'}"


def collect_departments(text: str, tasks: list[Task], clauses: list[Clause], place: Place) -> list[Department]:
    """One record per unit named in a responsibility, in first-mention order, with its task paths."""
    records: dict[str, Department] = {}
    written: dict[str, list[str]] = {}
    collective: dict[str, bool] = {}
    for clause in clauses:
        for u in clause.units:
            as_written = text[u.span[0]:u.span[1]].strip(BLANK)
            if as_written and as_written != u.name:
                written.setdefault(u.name, [])
                if as_written not in written[u.name]:
                    written[u.name].append(as_written)
            collective[u.name] = u.collective
    for task in tasks:
        for name in ([task.lead] if task.lead else []) + task.co:
            if name not in records:
                records[name] = Department(name=name, canonical=canonical_name(name, place),
                                           aliases=written.get(name, []), collective=collective.get(name, False))
            if task.path not in records[name].mentioned_in:
                records[name].mentioned_in.append(task.path)
    return list(records.values())


__all__ = ["assemble_tasks", "collect_departments", "duty_heading_clauses", "table_rows"]
