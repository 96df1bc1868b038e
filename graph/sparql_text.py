"""Just enough lexing of SPARQL text to refuse what a public read-only endpoint must not run.

An update is refused by its first keyword after the prologue; SERVICE is refused anywhere, because Oxigraph
would fetch the named endpoint over HTTP (a request forgery tool in a stranger's hands). Strings, IRIs and
comments are blanked out first so that a keyword inside them does not count.
"""

from __future__ import annotations

import re

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.DOTALL,
)
_PROLOGUE = re.compile(r"\s*(?:(?i:PREFIX)\s+[^\s:]*:\s*<[^>]*>|(?i:BASE)\s*<[^>]*>)")
_WHERE = re.compile(r"(?<![\w?$:])WHERE(?![\w:-])", re.IGNORECASE)
_SERVICE = re.compile(r"(?<![\w?$:])SERVICE(?![\w:-])", re.IGNORECASE)
_KEYWORD = re.compile(r"\s*([A-Za-z]+)")


def blank(text: str) -> str:
    """text with every string literal, IRI and comment blanked to spaces, delimiters kept: the same length,
    so an offset found in the result is an offset in text."""

    def empty(m: re.Match[str]) -> str:
        s = m.group(0)
        if s.startswith("#"):
            return " " * len(s)
        q = 3 if s[:3] in ('"""', "'''") else 1
        return s[:q] + " " * (len(s) - 2 * q) + s[-q:]

    return _LEXEMES.sub(empty, text)


def where_brace(text: str) -> int | None:
    """The offset of the `{` that opens the query's outermost WHERE group (None if there is none)."""
    rest = blank(text)
    m = _WHERE.search(rest)
    start = m.end() if m else len(rest) - len(rest.lstrip())
    brace = rest.find("{", start)
    return brace if brace >= 0 else None


def first_keyword(text: str) -> str:
    """The first keyword after PREFIX and BASE declarations, upper-cased ('' if there is none)."""
    rest = blank(text)
    while True:
        m = _PROLOGUE.match(rest)
        if not m:
            break
        rest = rest[m.end():]
    m = _KEYWORD.match(rest)
    return m.group(1).upper() if m else ""


def is_update(text: str) -> bool:
    return first_keyword(text) in UPDATE_KEYWORDS


def uses_service(text: str) -> bool:
    return _SERVICE.search(blank(text)) is not None
