"""extract/tokenizer.py gives exactly the tokens of spaCy's own "char" segmentation."""

from __future__ import annotations

import random

from spacy.util import get_words_and_spaces

from policykg.extract.pipeline import build_pipeline
from policykg.extract.tokenizer import char_words_and_spaces, doc_text


def test_same_words_and_spaces_as_spacy() -> None:
    rng = random.Random(0)
    alphabet = " \t\n\r\u3000\xa0\u2028a中。  "
    texts = ["一、总体要求\n　　到2020年，全市 达到 80家。 ", " lead", "trail  ", "\n\n"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(5000)]
    for text in texts:
        assert char_words_and_spaces(text) == get_words_and_spaces(list(text), text), repr(text)


def test_the_pipeline_keeps_the_text() -> None:
    nlp = build_pipeline()
    text = "一、任务 （责任单位：市财政局）\n 2. 完成 "
    doc = nlp.make_doc(text)
    assert doc.text == text and doc_text(doc) == text
