"""Sample ANT Corpus sentences for annotation, split by date: cue-targeted, near-miss, random, whole articles.

    PYTHONPATH=. python3 -m data.build.sample_ant   # writes data/annotation/candidates-ant.jsonl

Train comes from articles up to 2018-07-31 (all five outlets), dev from August 2018 and
test from September 2018 (BBC, CNN and Sky News: Al Arabiya and France 24 end in
August). News sections come first: every middleEast, internationalNews and economy
article of a period is in the pool, and a share of the culture, sport and technology
ones, with each outlet capped so that Sky News's volume does not drown the others.

No normalised sentence text is in two splits, nor in the SaudiNewsNet rows already
labelled: test is drawn first, dev may not use a text from any September article,
train none from any August or September article. Cue words only propose sentences;
annotators decide every label.
"""

import json
import random
from collections import Counter, defaultdict

from data.build.corpus import Article, read_ant
from data.build.labels_io import ANNOTATION, read_candidates
from data.build.sample import _drop_duplicate_articles, _sample_test_articles, _sample_windows, _write
from model.corpora import TRAINING_PERIOD_END
from model.text import normalize_for_matching

SEED = 20181
OUT = ANNOTATION / "candidates-ant.jsonl"
NEWS = ("middleEast", "internationalNews", "economy")
OTHER_SHARE = 0.3
"""Share of a period's culture, sport and technology articles kept in the pool."""
MAX_ARTICLES_PER_OUTLET = 1500
PERIODS = {"test": ("2018-09-01", "2018-09-30"), "dev": ("2018-08-01", "2018-08-31"),
           "train": ("0000-00-00", TRAINING_PERIOD_END["ant"])}
"""Drawn in this order, so the scarcer held-out periods are served first."""
BUDGET = {
    # target windows per stratum: (train, dev, test)
    "denial_cue": (210, 120, 150),
    "allegation_cue": (230, 75, 110),
    "near_miss": (140, 35, 45),
    "random": (200, 40, 40),
}
TEST_ARTICLES = {"denial_cue": 8, "allegation_cue": 7, "random": 7}
COLUMN = {"train": 0, "dev": 1, "test": 2}


def main() -> None:
    rng = random.Random(SEED)
    articles = _drop_duplicate_articles(read_ant())
    in_period = {split: sorted(d for d, a in articles.items() if start <= a.date <= end)
                 for split, (start, end) in PERIODS.items()}
    used_keys = _labelled_snn_keys()
    rows: list[dict] = []
    for split in PERIODS:
        later = [d for s, docs in in_period.items() if s != split and _after(s, split) for d in docs]
        banned = {normalize_for_matching(s) for d in later for s in articles[d].sentences}
        docs = _pool(articles, in_period[split], rng)
        if split == "test":
            article_rows, whole = _sample_test_articles(articles, docs, rng, used_keys, TEST_ARTICLES, banned)
            rows += article_rows
            docs = [d for d in docs if d not in whole]
        split_of = dict.fromkeys(docs, split)
        rows += _sample_windows(articles, docs, split_of, COLUMN[split], rng, used_keys, banned, BUDGET)
    for row in rows:
        row["category"] = articles[row["doc_id"]].category
    _write(rows, OUT)
    print(Counter((r["split"], r["source"]) for r in rows))


def _after(other: str, split: str) -> bool:
    """Whether `other`'s period is later than `split`'s (its texts are banned from `split`)."""
    return PERIODS[other][0] > PERIODS[split][0]


def _pool(articles: dict[str, Article], docs: list[str], rng: random.Random) -> list[str]:
    """News articles first, a share of the rest, at most MAX_ARTICLES_PER_OUTLET per outlet."""
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for doc_id in docs:
        if articles[doc_id].category in NEWS or rng.random() < OTHER_SHARE:
            by_outlet[articles[doc_id].source].append(doc_id)
    pool: list[str] = []
    for outlet in sorted(by_outlet):
        kept = by_outlet[outlet]
        if len(kept) > MAX_ARTICLES_PER_OUTLET:
            news = [d for d in kept if articles[d].category in NEWS]
            other = [d for d in kept if articles[d].category not in NEWS]
            kept = rng.sample(news, min(len(news), MAX_ARTICLES_PER_OUTLET * 4 // 5))
            kept += rng.sample(other, min(len(other), MAX_ARTICLES_PER_OUTLET - len(kept)))
        pool += sorted(kept)
    return pool


def _labelled_snn_keys() -> set[str]:
    """Normalised texts of the SaudiNewsNet rows already released, so no text is labelled twice."""
    keys: set[str] = set()
    for name in ("train", "dev", "test", "test_articles"):
        path = ANNOTATION.parent / f"{name}.jsonl"
        if path.is_file():
            keys |= {normalize_for_matching(json.loads(line)["text"]) for line in path.open(encoding="utf-8")}
    return keys


if __name__ == "__main__":
    main()
