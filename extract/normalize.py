"""Fold full-width and variant punctuation to one form without moving any character.

Rules match on the folded text; spans found there index the original text unchanged,
because folding maps every character to exactly one character.
"""

from __future__ import annotations

_PAIRS = {
    "\u3000": " ",  # ideographic space
    "\t": " ",
    "\xa0": " ",
    "（": "(",
    "）": ")",
    "﹙": "(",
    "﹚": ")",
    "：": ":",
    "∶": ":",
    "﹕": ":",
    "，": ",",
    "﹐": ",",
    "；": ";",
    "﹔": ";",
    "．": ".",
    "﹝": "〔",
    "﹞": "〕",
    "［": "〔",
    "］": "〕",
    "【": "〔",
    "】": "〕",
    "～": "~",
    "〜": "~",
    "－": "-",
    "—": "—",
    "‐": "-",
    "‑": "-",
    "–": "-",
    "／": "/",
    "％": "%",
    "＋": "+",
    "﹪": "%",
    "・": "·",
}


def _build_table() -> dict[int, str]:
    table = {ord(k): v for k, v in _PAIRS.items()}
    # the rest of the full-width ASCII block (digits, letters, symbols) -> ASCII
    for code in range(0xFF01, 0xFF5F):
        table.setdefault(code, chr(code - 0xFEE0))
    return table


_TABLE = _build_table()


def fold(text: str) -> str:
    """Same-length text with punctuation, digits and spaces folded to their half-width forms."""
    folded = text.translate(_TABLE)
    assert len(folded) == len(text)
    return folded
