"""Unlabelled text for distillation comes from the training periods only, and never from a dev or test article or sentence."""

from model.data import Example
from train.unlabelled import balanced_by_label, unlabelled_sentences


def test_only_training_period_text_that_no_dev_or_test_file_holds(corpora):
    held_out = [
        Example("ant-BB-middleEast-2-20180702-01", "هذا المقال جزء من ملف التطوير.", "report",
                "ant-BB-middleEast-2-20180702", "BBC", 1, "ant"),      # a dev article inside the training period
        Example("snn-2015-08-09-x-0001-01", "نفت الوزارة صحة الأنباء المتداولة.", "denial",
                "snn-2015-08-09-x-0001", "x", 1, "saudinewsnet"),      # wire copy of a training-period sentence
    ]
    rows = list(unlabelled_sentences(corpora, held_out, cap=100))
    texts = {r["text"] for r in rows}
    assert all(r["date"] <= {"saudinewsnet": "2015-08-07", "ant": "2018-07-31"}[r["corpus"]] for r in rows)
    assert "هذا خبر من الأيام المحجوزة للاختبار." not in texts and "خبر من سبتمبر." not in texts   # held-out days
    assert not any(r["doc_id"] == "ant-BB-middleEast-2-20180702" for r in rows)                   # the dev article
    assert "نفت الوزارة صحة الأنباء المتداولة." not in texts                                      # the test sentence
    assert {"افتتح الأمير المشروع.", "انعقدت القمة في موعدها."} <= texts
    assert len(list(unlabelled_sentences(corpora, held_out, cap=3))) == 3


def test_a_proposers_labels_spread_the_cap_as_evenly_as_the_pool_allows():
    labels = ["report"] * 6 + ["denial"] + ["allegation"] * 3
    # the one denial, then 5 places for two labels: 2 allegations and 3 reports, each the first in the pool
    assert balanced_by_label(labels, cap=6) == [0, 1, 2, 6, 7, 8]
    assert balanced_by_label(labels, cap=50) == list(range(10))    # a pool smaller than the cap: all of it
    assert balanced_by_label(labels, cap=0) == []
