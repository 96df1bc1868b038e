"""Small helpers over folded text: lines with offsets, quote-aware clause scanning, Chinese numerals."""

from __future__ import annotations

import re
from collections.abc import Iterator

OPENERS = {"“": "”", "‘": "’", "《": "》", "(": ")", "「": "」", "『": "』", "〔": "〕"}
CLOSERS = {v: k for k, v in OPENERS.items()}
BLANK = " \t\r\u3000\xa0\ufeff"


def lines_with_offsets(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, line) for each line, offsets into text, line without its newline."""
    start = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        yield start, start + len(stripped), stripped
        start += len(line)


def strip_span(text: str, start: int, end: int, chars: str = BLANK) -> tuple[int, int]:
    """Shrink [start, end) past leading and trailing blank characters (and newlines)."""
    chars = chars + "\n"
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def find_outside_quotes(folded: str, stops: str, start: int = 0, end: int | None = None) -> int:
    """Index of the first character of `stops` in folded[start:end] not inside quotes or brackets; -1 if none."""
    end = len(folded) if end is None else end
    stack: list[str] = []
    ascii_quote = False
    for i in range(start, end):
        ch = folded[i]
        if ch == '"':
            ascii_quote = not ascii_quote
            continue
        if ch in OPENERS and not (ch in CLOSERS and stack and stack[-1] == ch):
            stack.append(OPENERS[ch])
            continue
        if stack and ch == stack[-1]:
            stack.pop()
            continue
        if ch in CLOSERS and stack:
            # an unbalanced closer of another kind: forgive it rather than get stuck
            continue
        if not stack and not ascii_quote and ch in stops:
            return i
    return -1


def matching_bracket(folded: str, open_at: int, limit: int = 400) -> int:
    """Index of the ')' closing the '(' at open_at, within limit characters on the same line; -1 if none."""
    depth = 0
    for i in range(open_at, min(len(folded), open_at + limit)):
        ch = folded[i]
        if ch == "\n":
            return -1
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


_CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = re.compile(r"[零〇○一二两三四五六七八九十百千]+")


def cn_to_int(s: str) -> int | None:
    """Integer value of a Chinese numeral below ten thousand (十二 = 12, 二十 = 20, 一〇 = 10); None if not one."""
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    if all(ch in _CN_DIGITS for ch in s):  # digit-by-digit, as in years: 二〇一七
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, digit = 0, None
    for ch in s:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)
