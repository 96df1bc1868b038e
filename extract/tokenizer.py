"""A linear-time character tokenizer for the blank Chinese pipeline, and the document text without rebuilding it.

spaCy's `ChineseTokenizer` with the "char" segmenter aligns each character with `text[pos:].index(char)`, which
copies the rest of the text for every character (quadratic in the document's length), and `Doc.text` rebuilds
the string from one Python `Token` per character on every access. `CharTokenizer` produces exactly the same
words and spaces in one pass and keeps the text it was given, which `doc_text` returns.
"""

from __future__ import annotations

import re

from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.tokens import Doc

TEXT_KEY = "policykg.text"


_WHITESPACE = re.compile(r"\s+")  # for str patterns, \s is exactly the characters str.isspace() accepts


def char_words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """What `spacy.util.get_words_and_spaces(list(text), text)` returns, in linear time: one word per
    non-space character, a run of whitespace as its own word, and one ASCII space after a character folded
    into that character's trailing space."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for m in _WHITESPACE.finditer(text):
        start, end = m.span()
        if start > pos:  # the characters before the run, one word each
            words.extend(text[pos:start])
            spaces.extend([False] * (start - pos))
            if text[start] == " ":  # a character's trailing space
                spaces[-1] = True
                start += 1
        if start < end:
            words.append(text[start:end])
            spaces.append(False)
        pos = end
    if pos < len(text):
        words.extend(text[pos:])
        spaces.extend([False] * (len(text) - pos))
    return words, spaces


class CharTokenizer(ChineseTokenizer):
    """`ChineseTokenizer` whose "char" segmentation runs in linear time and remembers the text."""

    def __call__(self, text: str) -> Doc:
        if self.segmenter != Segmenter.char:
            return super().__call__(text)
        words, spaces = char_words_and_spaces(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[TEXT_KEY] = text
        return doc


def doc_text(doc: Doc) -> str:
    """doc.text, read from what `CharTokenizer` kept when it is there (Doc.text costs a Token per character)."""
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str):
        if not len(doc):
            if not text:
                return text
        else:
            last = doc[-1]
            if last.idx + len(last.text_with_ws) == len(text):
                return text
    return doc.text


__all__ = ["TEXT_KEY", "CharTokenizer", "char_words_and_spaces", "doc_text"]
