"""Sample sentences for annotation from SaudiNewsNet: cue-targeted, near-miss and random.

Cue words only *propose* sentences; every label comes from an annotator reading the
sentence by the spec. Each sampled target is annotated with its neighbours (one
sentence either side), and annotators see two more sentences either side as context.

    PYTHONPATH=. python3 -m data.build.sample     # writes data/annotation/candidates.jsonl
    PYTHONPATH=. python3 -m data.build.sample --round 2   # more train: candidates-r2.jsonl
    PYTHONPATH=. python3 -m data.build.sample --round 3   # more dev: candidates-r3.jsonl

Splits are by date and by article: train from the first 14 archives, dev/test and
test_articles from the last three. Near-duplicate sentences (wire copy) are labelled
once: a sentence whose normalised text appears in a held-out article is never
sampled for train.
"""

import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

from data.build.corpus import Article, archive_dates, read_corpus
from data.build.labels_io import ANNOTATION, CANDIDATE_FILES, read_candidates
from model.cues import ALLEGATION_CUES, DENIAL_CUES
from model.text import normalize_for_matching

SEED = 20151
OUT = ANNOTATION / CANDIDATE_FILES[0]
HELDOUT_DAYS = 3
TRAIN_DAYS = 14

NEAR_MISSES = {
    "negation": re.compile(r"(?:^| )(?:و|ف)?(?:لم|لن|ليس|ليست|لا يوجد|لا توجد|عدم)(?= )"),
    "tanfeeth": re.compile(r"تنفيذ"),
    "refusal": re.compile(r"(?:^| )(?:و|ف)?(?:رفض|رفضت|يرفض|ترفض|رفضه|رفضها|الرفض)(?= )"),
    "court": re.compile(r"(?:المتهم|المتهمين|المحكمه|لائحه|هيئه التحقيق|الادعاء العام|النيابه|القضاء)"),
    "ruled_out": re.compile(r"(?:استبعد|استنكر|ادان|ادانت|شجب|يستبعد|تستبعد)"),
    "confirmed": re.compile(r"(?:^| )(?:و|ف)?(?:اكد|اكدت|يؤكد|تؤكد|حذر|حذرت)(?= )"),
}
"""Hard negatives: words near the cues that usually do not make a denial or allegation."""

OPINION_URL = re.compile(r"/(?:opinion|Articles|Discussion|writers|articles/\d)", re.I)

# Target windows per stratum: (train, held-out dev+test).
BUDGET = {
    "denial_cue": (400, 175),
    "allegation_cue": (470, 215),
    "near_miss": (260, 95),
    "opinion": (60, 20),
    "random": (230, 110),
}
TEST_ARTICLES = {"denial_cue": 12, "allegation_cue": 8, "random": 10}
MORE_ROUNDS = {
    2: {"seed": 20152, "split": "train", "budget": {
        "denial_cue": (250, 0), "allegation_cue": (150, 0), "near_miss": (120, 0), "opinion": (20, 0), "random": (80, 0)}},
    3: {"seed": 20153, "split": "dev", "budget": {
        "denial_cue": (0, 80), "allegation_cue": (0, 60), "near_miss": (0, 40), "opinion": (0, 10), "random": (0, 40)}},
}
"""Later rounds: 2 adds train windows, 3 adds dev windows from the held-out articles round 1
assigned to dev; neither draws a sentence an earlier round drew, and test stays as it is."""
TEST_SHARE = 0.66
MAX_TARGETS_PER_ARTICLE = 2


def main() -> None:
    if sys.argv[1:2] == ["--round"]:
        return sample_more(int(sys.argv[2]))
    rng = random.Random(SEED)
    articles, train_dates, heldout_dates = _load_articles()
    heldout_keys = _sentence_keys(a for a in articles.values() if a.date in heldout_dates)
    rows: list[dict] = []
    used_keys: set[str] = set()

    article_rows, heldout, split_of = _assign_heldout(articles, heldout_dates, rng, used_keys)
    rows += article_rows

    for split_name, docs, column in (("heldout", heldout, 1), ("train", None, 0)):
        if docs is None:
            docs = sorted(d for d, a in articles.items() if a.date in train_dates)
            split_of.update({d: "train" for d in docs})
        banned = heldout_keys if split_name == "train" else set()
        rows += _sample_windows(articles, docs, split_of, column, rng, used_keys, banned)

    _write(rows, OUT)


def sample_more(number: int) -> None:
    """Sampling round `number` (see MORE_ROUNDS), written to its own candidates file."""
    spec = MORE_ROUNDS[number]
    articles, train_dates, heldout_dates = _load_articles()
    earlier = read_candidates(rounds=number - 1)
    used_keys = {normalize_for_matching(articles[r["doc_id"]].sentences[r["position"]]) for r in earlier}
    if spec["split"] == "train":
        docs = sorted(d for d, a in articles.items() if a.date in train_dates)
        split_of, column = dict.fromkeys(docs, "train"), 0
        banned = _sentence_keys(a for a in articles.values() if a.date in heldout_dates)
    else:
        _, heldout, split_of = _assign_heldout(articles, heldout_dates, random.Random(SEED), set())
        docs, column, banned = [d for d in heldout if split_of[d] == spec["split"]], 1, set()
    rng = random.Random(spec["seed"])
    rows = _sample_windows(articles, docs, split_of, column, rng, used_keys, banned, spec["budget"])
    _write(rows, ANNOTATION / CANDIDATE_FILES[number - 1])


def _assign_heldout(articles, heldout_dates, rng, used_keys):
    """Round 1's draw of the whole test articles, then of which held-out articles are test and which dev."""
    heldout = sorted(d for d, a in articles.items() if a.date in heldout_dates)
    article_rows, article_docs = _sample_test_articles(articles, heldout, rng, used_keys)
    heldout = [d for d in heldout if d not in article_docs]
    rng.shuffle(heldout)
    n_test = round(len(heldout) * TEST_SHARE)
    return article_rows, heldout, {d: ("test" if i < n_test else "dev") for i, d in enumerate(heldout)}


def _load_articles():
    dates = archive_dates()
    train_dates, heldout_dates = dates[:TRAIN_DAYS], dates[-HELDOUT_DAYS:]
    articles = _drop_duplicate_articles(read_corpus(train_dates + heldout_dates))
    return articles, train_dates, heldout_dates


def _sentence_keys(articles) -> set[str]:
    return {normalize_for_matching(s) for a in articles for s in a.sentences}


def _write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        counts[row["split"], row["reason"].split(":")[0]] += 1
    for key in sorted(counts):
        print(*key, counts[key])
    print("total", len(rows), "->", path)


def _drop_duplicate_articles(articles: dict[str, Article]) -> dict[str, Article]:
    """Keep the first copy of articles whose body repeats (wire copy across papers and days)."""
    seen: set[str] = set()
    kept: dict[str, Article] = {}
    for doc_id in sorted(articles, key=lambda d: (articles[d].date, d)):
        article = articles[doc_id]
        key = normalize_for_matching(" ".join(article.sentences[1:4]))
        if key and key in seen:
            continue
        seen.add(key)
        kept[doc_id] = article
    return kept


def _stratum(article: Article, position: int) -> str | None:
    norm = normalize_for_matching(article.sentences[position])
    if DENIAL_CUES.search(norm):
        return "denial_cue"
    if ALLEGATION_CUES.search(norm):
        return "allegation_cue"
    for name, pattern in NEAR_MISSES.items():
        if pattern.search(norm):
            return f"near_miss:{name}"
    return None


def _sample_test_articles(articles, docs, rng, used_keys, counts=TEST_ARTICLES, banned=frozenset()):
    """Whole articles (5 to 25 sentences) for article-level evaluation, every sentence labelled."""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for doc_id in docs:
        article = articles[doc_id]
        if not 6 <= len(article.sentences) <= 26:
            continue
        kinds = {(_stratum(article, p) or "random").split(":")[0] for p in range(len(article.sentences))}
        kind = "denial_cue" if "denial_cue" in kinds else "allegation_cue" if "allegation_cue" in kinds else "random"
        by_kind[kind].append(doc_id)
    rows, chosen = [], set()
    for kind, n in counts.items():
        for doc_id in rng.sample(by_kind[kind], n):
            chosen.add(doc_id)
            article = articles[doc_id]
            for position in range(len(article.sentences)):
                key = normalize_for_matching(article.sentences[position])
                if key in used_keys or key in banned:
                    continue
                used_keys.add(key)
                rows.append(_row(article, position, "test_articles", f"article:{kind}"))
    return rows, chosen


def _sample_windows(articles, docs, split_of, column, rng, used_keys, banned, budget=BUDGET):
    """Cue, near-miss, opinion and random targets with their neighbours, within budget."""
    pools: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for doc_id in docs:
        article = articles[doc_id]
        opinion = bool(OPINION_URL.search(article.url))
        for position in range(len(article.sentences)):
            stratum = _stratum(article, position)
            if stratum is None:
                stratum = "random"
            pools[stratum.split(":")[0]].append((doc_id, position))
            if stratum.startswith("near_miss"):
                pools[stratum].append((doc_id, position))
            if opinion:
                pools["opinion"].append((doc_id, position))
    rows: list[dict] = []
    targets_in: dict[str, int] = defaultdict(int)
    for stratum, sizes in budget.items():
        pool = list(pools[stratum])
        rng.shuffle(pool)
        taken = 0
        for doc_id, position in pool:
            if taken >= sizes[column]:
                break
            article = articles[doc_id]
            if targets_in[doc_id] >= MAX_TARGETS_PER_ARTICLE:
                continue
            key = normalize_for_matching(article.sentences[position])
            if key in used_keys or key in banned or len(key.split()) < 3:
                continue
            taken += 1
            targets_in[doc_id] += 1
            for p in (position - 1, position, position + 1):
                if not 0 <= p < len(article.sentences):
                    continue
                key = normalize_for_matching(article.sentences[p])
                if key in used_keys or key in banned or not key:
                    continue
                used_keys.add(key)
                reason = _stratum(article, p) or "random" if p == position else "neighbour"
                if p == position and stratum in ("random", "opinion"):
                    reason = stratum
                rows.append(_row(article, p, split_of[doc_id], reason))
    return rows


def _row(article: Article, position: int, split: str, reason: str) -> dict:
    return {
        "id": article.sentence_id(position),
        "doc_id": article.doc_id,
        "position": position,
        "source": article.source,
        "split": split,
        "reason": reason,
    }


if __name__ == "__main__":
    main()
