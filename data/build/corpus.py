"""Read SaudiNewsNet archives in place and give every sentence a stable id.

An article's doc_id is snn-DATE-SOURCE-NNNN (NNNN its order among that source's
articles in the day's archive); sentence ids append the position: the title is 00,
content sentences count from 01 in the order of model.splitter.split_sentences.
"""

import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from model.splitter import split_sentences

CORPUS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "saudinewsnet"


@dataclass(frozen=True)
class Article:
    doc_id: str
    date: str
    source: str
    title: str
    author: str
    url: str
    sentences: tuple[str, ...]  # position 0 is the title

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


def parse_sentence_id(sentence_id: str) -> tuple[str, int]:
    """Split a sentence id into its doc_id and position."""
    doc_id, _, position = sentence_id.rpartition("-")
    return doc_id, int(position)
