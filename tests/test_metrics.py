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
