"""Read the raw corpora in place and give every sentence a stable id.

A SaudiNewsNet article's doc_id is snn-DATE-SOURCE-NNNN (NNNN its order among that
source's articles in the day's archive); an ANT article's is ant-DOCNO (ANT's own
unique docno, OUTLET-category-n-YYYYMMDD). Sentence ids append the position: the
title is 00, content sentences count from 01 in the order of
model.splitter.split_sentences.
"""

import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from model.corpora import ANT_DIR, labelled_doc_id, read_corpus as read_raw_corpus
from model.splitter import split_sentences

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "saudinewsnet"
CORPORA = {"snn": "saudinewsnet", "ant": "ant"}
"""doc_id prefix -> the corpus name that rows carry in their `corpus` field."""


@dataclass(frozen=True)
class Article:
    doc_id: str
    date: str
    source: str
    title: str
    author: str
    url: str
    sentences: tuple[str, ...]  # position 0 is the title
    category: str = ""

    def sentence_id(self, position: int) -> str:
        return f"{self.doc_id}-{position:02d}"


def archive_dates(corpus_dir: Path = CORPUS_DIR) -> list[str]:
    """The archive dates, oldest first."""
    return sorted(p.stem for p in corpus_dir.glob("*.zip"))


def read_archive(date: str, corpus_dir: Path = CORPUS_DIR) -> Iterator[Article]:
    """Yield the articles of one daily archive, read from its zip without unpacking."""
    with zipfile.ZipFile(corpus_dir / f"{date}.zip") as archive:
        raw = json.loads(archive.read(f"{date}.json"))
    counters: dict[str, int] = defaultdict(int)
    for item in raw:
        source = item["source"]
        counters[source] += 1
        title = " ".join((item.get("title") or "").split())
        body = split_sentences(item.get("content") or "")
        yield Article(
            doc_id=f"snn-{date}-{source}-{counters[source]:04d}",
            date=date,
            source=source,
            title=title,
            author=(item.get("author") or "").strip(),
            url=item.get("url") or "",
            sentences=(title, *body),
        )


def read_corpus(dates: list[str] | None = None, corpus_dir: Path = CORPUS_DIR) -> dict[str, Article]:
    """All articles of the given dates (all archives by default), by doc_id."""
    articles: dict[str, Article] = {}
    for date in dates or archive_dates(corpus_dir):
        for article in read_archive(date, corpus_dir):
            articles[article.doc_id] = article
    return articles


def read_ant(corpus_dir: Path = ANT_DIR) -> dict[str, Article]:
    """All ANT articles, by doc_id (ant-DOCNO)."""
    articles: dict[str, Article] = {}
    for raw in read_raw_corpus(corpus_dir):
        doc_id = labelled_doc_id(raw)
        articles[doc_id] = Article(doc_id, raw.date, raw.source, raw.title, "", raw.url,
                                   (raw.title, *split_sentences(raw.content)), raw.category)
    return articles


def corpus_of(doc_id: str) -> str:
    """'saudinewsnet' or 'ant', from a doc_id's prefix."""
    return CORPORA[doc_id.split("-", 1)[0]]


def read_articles(doc_ids) -> dict[str, Article]:
    """The articles behind `doc_ids`, from whichever corpus each comes from."""
    doc_ids = set(doc_ids)
    dates = sorted({d.split("-", 1)[1][:10] for d in doc_ids if corpus_of(d) == "saudinewsnet"})
    articles = read_corpus(dates) if dates else {}
    if any(corpus_of(d) == "ant" for d in doc_ids):
        articles.update(read_ant())
    return {d: a for d, a in articles.items() if d in doc_ids}


def parse_sentence_id(sentence_id: str) -> tuple[str, int]:
    """Split a sentence id into its doc_id and position."""
    doc_id, _, position = sentence_id.rpartition("-")
    return doc_id, int(position)
