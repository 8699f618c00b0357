"""Guidelines and briefs must not quote held-out (dev or test) sentences.

An example written from a test sentence teaches annotators, and whoever tunes a model on
the guidelines, the answer to that test item. Two ways a document can quote one, both
compared after normalize_for_matching (whitespace, punctuation, diacritics, letter variants):

- a «quoted» span of MIN_QUOTE_WORDS or more words that occurs in a held-out sentence;
- any run of RUN_WORDS consecutive words that occurs in one, quoted or not.
"""

import re
from collections.abc import Iterable
from pathlib import Path

from model.data import Example
from model.text import normalize_for_matching

MIN_QUOTE_WORDS = 3
RUN_WORDS = 6
_QUOTE = re.compile(r"«([^»]+)»")


def held_out_quotes(documents: Iterable[Path], held_out: dict[Path, list[Example]]) -> list[str]:
    """Every place (file:line) where a document quotes a held-out sentence, naming the sentence.

    Matching is on text, not whole words, so a quote without the sentence's clitic
    (أكاد for وأكاد) still counts.
    """
    sentences = [(path, e.id, normalize_for_matching(e.text)) for path, examples in held_out.items() for e in examples]
    corpus = "\n".join(text for _, _, text in sentences)
    problems = []
    for document in documents:
        text = document.read_text(encoding="utf-8")
        problems += _quoted_spans(document, text, sentences, corpus)
        problems += _shared_runs(document, text, sentences, corpus)
    return problems


def _source(span: str, sentences) -> str:
    path, sentence_id = next((path, sid) for path, sid, text in sentences if span in text)
    return f"{sentence_id} of {path}"


def _quoted_spans(document: Path, text: str, sentences, corpus: str) -> list[str]:
    problems = []
    for match in _QUOTE.finditer(text):
        span = normalize_for_matching(match.group(1))
        if len(span.split()) >= MIN_QUOTE_WORDS and span in corpus:
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{document}:{line}: «{' '.join(match.group(1).split())}» quotes {_source(span, sentences)} "
                            "(a held-out sentence); use a train sentence or a constructed one")
    return problems


def _shared_runs(document: Path, text: str, sentences, corpus: str) -> list[str]:
    words = [(word, number) for number, line in enumerate(text.splitlines(), 1)
             for word in normalize_for_matching(line).split()]
    problems, last_reported = [], -RUN_WORDS
    for start in range(len(words) - RUN_WORDS + 1):
        run = " ".join(word for word, _ in words[start : start + RUN_WORDS])
        if start >= last_reported + RUN_WORDS and run in corpus:  # one line per copied passage
            last_reported = start
            problems.append(f"{document}:{words[start][1]}: the words «{run}» come from {_source(run, sentences)} "
                            f"(a held-out sentence); no run of {RUN_WORDS} words may")
    return problems
