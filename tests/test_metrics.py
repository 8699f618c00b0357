import pytest

from eval.metrics import classification_metrics


def test_metrics_on_a_hand_computed_case():
    gold = ["report", "report", "denial", "allegation", "background", "background"]
    pred = ["report", "background", "denial", "report", "background", "background"]
    m = classification_metrics(gold, pred)
    assert m["accuracy"] == pytest.approx(4 / 6)
    # report: P=1/2 R=1/2 F1=1/2; denial: 1; allegation: 0; background: P=2/3 R=1 F1=0.8
    assert m["per_label"]["report"]["f1"] == pytest.approx(0.5)
    assert m["per_label"]["background"]["f1"] == pytest.approx(0.8)
    assert m["macro_f1"] == pytest.approx((0.5 + 1 + 0 + 0.8) / 4)
    assert m["confusion_matrix"]["matrix"][0] == [1, 0, 0, 1]  # gold report: 1 right, 1 as background


def test_metrics_refuse_mismatched_lengths():
    with pytest.raises(ValueError, match="gold has 2 labels but predicted has 1"):
        classification_metrics(["report", "denial"], ["report"])


def test_macro_f1_averages_over_the_labels_the_gold_file_holds():
    gold = ["report", "report", "denial", "denial"]
    perfect = classification_metrics(gold, gold)
    assert perfect["macro_f1"] == 1.0 and perfect["macro_labels"] == ["report", "denial"]
    one_wrong = classification_metrics(gold, ["report", "background", "denial", "denial"])
    # report F1 2/3, denial F1 1; background, predicted once but absent from gold, is not averaged in
    assert one_wrong["macro_f1"] == pytest.approx((2 / 3 + 1) / 2)


def test_every_bootstrap_resample_averages_over_the_whole_file_s_labels():
    from eval.bootstrap import confidence_intervals, doc_confusions

    docs = ["a", "a", "b", "b", "c"]
    gold = ["report", "denial", "report", "report", "report"]
    _, counts = doc_confusions(docs, gold, gold)
    intervals = confidence_intervals(counts, resamples=300)
    # perfect predictions: 1.0 in every resample, including those that drew no article with a denial
    assert intervals["macro_f1"] == {"value": 1.0, "low": 1.0, "high": 1.0}
