"""Unlabelled sentences for a teacher to tag: the corpora's training periods, nothing held out.

Distillation (configs/distill.yaml) trains a student on a teacher's probabilities over
raw corpus text. That text must come from where the labelled train split may come
from, or the student would see the test period through the teacher:

- only each corpus's training period (model.corpora.TRAINING_PERIOD_END: SaudiNewsNet up
  to 2015-08-07, ANT up to 2018-07-31);
- never an article that is in a dev or test file;
- never a sentence whose normalised text is in a dev or test file (wire copy repeats
  across outlets and days).

Articles are drawn in a seeded random order, all their sentences in turn, until the cap.
"""

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

from model.corpora import labelled_doc_id, read_corpus
from model.data import Example, read_examples
from model.splitter import split_sentences
from model.text import normalize_for_matching
from train.config import RunConfig

def held_out_files(config: RunConfig) -> list[str]:
    """The dev, test and whole-article files: no unlabelled sentence may come from them."""
    return [path for path in (config.data.dev, config.data.test, config.data.articles) if path]


def held_out_hashes(config: RunConfig) -> dict[str, str]:
    """Each held-out file's SHA-256: a key over them changes when a dev or test file does."""
    return {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in held_out_files(config)}


def held_out_examples(config: RunConfig) -> list[Example]:
    """Every row of the held-out files."""
    return [e for path in held_out_files(config) for e in read_examples(path)]


def held_out_keys(held_out: list[Example]) -> tuple[set[str], set[str]]:
    """The doc_ids and the normalised sentence texts of the dev and test files."""
    return {e.doc_id for e in held_out}, {normalize_for_matching(e.text) for e in held_out}


def unlabelled_sentences(corpus_dirs: list[str | Path], held_out: list[Example], cap: int,
                         seed: int = 0) -> Iterator[dict]:
    """Up to `cap` rows {id, text, corpus, source, doc_id, date} from the corpora's training periods."""
    docs, texts = held_out_keys(held_out)
    articles = [a for folder in corpus_dirs for a in read_corpus(folder, period="train")]
    random.Random(seed).shuffle(articles)
    seen: set[str] = set()
    given = 0
    for article in articles:
        doc_id = labelled_doc_id(article)
        if doc_id in docs:
            continue
        for position, sentence in enumerate((article.title, *split_sentences(article.content))):
            key = normalize_for_matching(sentence)
            if not key or key in texts or key in seen:
                continue
            seen.add(key)
            yield {"id": f"{doc_id}-{position:02d}", "text": sentence, "corpus": article.corpus,
                   "source": article.source, "doc_id": doc_id, "date": article.date}
            given += 1
            if given >= cap:
                return


def balanced_by_label(labels: list[str], cap: int) -> list[int]:
    """The indices, in order, of up to `cap` rows spread as evenly over their `labels` as the counts allow.

    Each label gets an equal share of the cap, its first rows in order; a label with fewer rows than its share
    leaves the rest to the others. Rare labels (news holds few denials) thus keep every row a proposer gave
    them, and the common ones share the remaining places.
    """
    by_label: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        by_label.setdefault(label, []).append(index)
    rarest_first = sorted(by_label, key=lambda label: len(by_label[label]))
    remaining, kept = cap, []
    for position, label in enumerate(rarest_first):
        quota = min(len(by_label[label]), remaining // (len(rarest_first) - position))
        kept += by_label[label][:quota]
        remaining -= quota
    return sorted(kept)
