"""The labelled release (data/*.jsonl) keeps its promises, and the v2 rebuild moves v1 labels by text."""

import json
from collections import Counter
from pathlib import Path

import pytest

from data.build.corpus import Article, corpus_of
from data.build.resplit import move
from model.corpora import TRAINING_PERIOD_END

DATA = Path(__file__).resolve().parents[1] / "data"


def rows(split: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]


def date_of(row: dict) -> str:
    """YYYY-MM-DD from a SaudiNewsNet (snn-DATE-...) or ANT (ant-...-YYYYMMDD) doc_id."""
    if row["corpus"] == "saudinewsnet":
        return row["doc_id"][4:14]
    day = row["doc_id"].rsplit("-", 1)[1]
    return f"{day[:4]}-{day[4:6]}-{day[6:]}"


def test_every_row_names_the_corpus_its_id_comes_from():
    for split in ("train", "dev", "test", "test_articles"):
        assert all(row["corpus"] == corpus_of(row["doc_id"]) for row in rows(split)), split


def test_train_comes_from_each_corpus_training_period_and_held_out_rows_from_after_it():
    for row in rows("train"):
        assert date_of(row) <= TRAINING_PERIOD_END[row["corpus"]], row["id"]
    for split in ("dev", "test", "test_articles"):
        for row in rows(split):
            assert date_of(row) > TRAINING_PERIOD_END[row["corpus"]], row["id"]
    # ANT: dev is August 2018, test September 2018
    assert {date_of(r)[:7] for r in rows("dev") if r["corpus"] == "ant"} == {"2018-08"}
    assert {date_of(r)[:7] for s in ("test", "test_articles") for r in rows(s) if r["corpus"] == "ant"} == {"2018-09"}


def test_the_release_meets_its_size_minimums():
    ant = {split: [r for r in rows(split) if r["corpus"] == "ant"] for split in ("train", "dev", "test", "test_articles")}
    test = ant["test"] + ant["test_articles"]
    test_labels, dev_labels = Counter(r["label"] for r in test), Counter(r["label"] for r in ant["dev"])
    assert sum(len(v) for v in ant.values()) >= 4000
    assert len(test) >= 1000 and test_labels["denial"] >= 80 and test_labels["allegation"] >= 150
    assert len({r["doc_id"] for r in ant["test_articles"]}) >= 20
    assert len(ant["dev"]) >= 600 and dev_labels["denial"] >= 60
    assert sum(len(rows(split)) for split in ("train", "dev", "test", "test_articles")) >= 12000


ARTICLE = Article("snn-2015-07-21-x-0001", "2015-07-21", "x", "", "", "",
                  ("العنوان", "قال الوزير إن المشروع بدأ.", "وأضاف أن العمل مستمر.", "وانتهى الاجتماع"))


@pytest.mark.parametrize(
    "text, position, expected",
    [
        ("قال الوزير إن المشروع بدأ.", 1, (["snn-2015-07-21-x-0001-01"], "kept")),
        ("وأضاف أن العمل مستمر.", 1, (["snn-2015-07-21-x-0001-02"], "renumbered")),
        ("قال الوزير إن المشروع بدأ.وأضاف أن العمل مستمر.", 1,
         (["snn-2015-07-21-x-0001-01", "snn-2015-07-21-x-0001-02"], "split")),
        ("..وانتهى الاجتماع", 3, (["snn-2015-07-21-x-0001-03"], "trimmed")),
    ],
)
def test_a_v1_row_is_found_among_the_v2_sentences_by_its_text(text, position, expected):
    found = move({"id": f"snn-2015-07-21-x-0001-{position:02d}", "text": text, "position": position}, ARTICLE)
    assert (found["new_ids"], found["status"]) == expected


def test_a_v1_row_whose_text_is_gone_stops_the_rebuild():
    with pytest.raises(ValueError, match="not among the v2 sentences"):
        move({"id": "snn-2015-07-21-x-0001-05", "text": "نص آخر تماما", "position": 5}, ARTICLE)
