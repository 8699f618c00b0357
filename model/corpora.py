"""The raw news corpora, read in place from their zips: SaudiNewsNet (2015) and ANT Corpus v2.1 (2018).

    for article in read_corpus("../shared/corpora/ant", period="train"):
        article.doc_id, article.date, article.title, article.content

Which corpus a folder holds is seen from its files (SaudiNewsNet: one YYYY-MM-DD.zip per
day; ANT: one OUTLET.zip per outlet). `period` keeps the training period only (the days
the labelled train split may come from) or only the held-out period after it.
"""

import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHARED_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
SAUDINEWSNET_DIR = SHARED_CORPORA / "saudinewsnet"
ANT_DIR = SHARED_CORPORA / "ant"

TRAINING_PERIOD_END = {"saudinewsnet": "2015-08-07", "ant": "2018-07-31"}
"""The last day of each corpus from which training data (labelled or not) may come; later days are held out."""

WHERE_TO_GET = {
    "saudinewsnet": "SaudiNewsNet daily archives (YYYY-MM-DD.zip) from github.com/ParallelMazen/SaudiNewsNet",
    "ant": "ANT Corpus v2.1 outlet archives (OUTLET.zip) from github.com/antcorpus/antcorpus.multisource.data",
}
PERIODS = ("all", "train", "held-out")
_DAY_ARCHIVE = re.compile(r"^\d{4}-\d{2}-\d{2}\.zip$")


@dataclass(frozen=True)
class RawArticle:
    corpus: str
    doc_id: str
    date: str
    """YYYY-MM-DD."""
    source: str
    title: str
    content: str
    """The article text, one paragraph per line."""
    url: str = ""
    category: str = ""
    """ANT's section (middleEast, economy, sport, ...); empty for SaudiNewsNet."""


def labelled_doc_id(article: RawArticle) -> str:
    """The article's doc_id in the labelled files: SaudiNewsNet's ids already read snn-...; ANT's docno gets ant-."""
    return f"ant-{article.doc_id}" if article.corpus == "ant" else article.doc_id


class CorpusNotFound(FileNotFoundError):
    """A corpus folder is missing or holds neither corpus; the message says where to get one."""


def corpus_kind(folder: str | Path) -> str:
    """'saudinewsnet' or 'ant', from the folder's archives."""
    folder = Path(folder)
    archives = sorted(folder.glob("*.zip")) if folder.is_dir() else []
    if archives and all(_DAY_ARCHIVE.match(p.name) for p in archives):
        return "saudinewsnet"
    if archives:
        return "ant"
    raise CorpusNotFound(
        f"{folder}: no corpus archives here. Expected {WHERE_TO_GET['saudinewsnet']}, or "
        f"{WHERE_TO_GET['ant']}; put the zips in one folder per corpus and pass that folder."
    )


def read_corpus(folder: str | Path, period: str = "all") -> Iterator[RawArticle]:
    """Every article of a corpus folder (oldest archive first), optionally one period only."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    kind = corpus_kind(folder)
    end = TRAINING_PERIOD_END[kind]
    reader = _read_saudinewsnet if kind == "saudinewsnet" else _read_ant
    for article in reader(Path(folder)):
        held_out = article.date > end
        if period == "all" or held_out == (period == "held-out"):
            yield article


def _read_saudinewsnet(folder: Path) -> Iterator[RawArticle]:
    for archive in sorted(folder.glob("*.zip")):
        date = archive.stem
        counters: dict[str, int] = defaultdict(int)
        for item in _json_array(archive, f"{date}.json"):
            source = item["source"]
            counters[source] += 1
            yield RawArticle("saudinewsnet", f"snn-{date}-{source}-{counters[source]:04d}", date, source,
                             _one_line(item.get("title")), item.get("content") or "", item.get("url") or "")


def _read_ant(folder: Path) -> Iterator[RawArticle]:
    for archive in sorted(folder.glob("*.zip")):
        for item in _json_array(archive, f"{archive.stem}.json"):
            date = str(item.get("date") or "")
            if not re.fullmatch(r"\d{8}", date):
                raise ValueError(f"{archive}: article {item.get('docno')!r} has no YYYYMMDD date")
            yield RawArticle("ant", item["docno"], f"{date[:4]}-{date[4:6]}-{date[6:]}", item.get("src") or archive.stem,
                             _one_line(item.get("title")), item.get("content") or "", item.get("url") or "",
                             item.get("cat") or "")


def _json_array(archive: Path, member: str) -> list[dict]:
    with zipfile.ZipFile(archive) as handle:
        try:
            return json.loads(handle.read(member))
        except KeyError:
            raise CorpusNotFound(f"{archive}: has no {member} inside") from None


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())
