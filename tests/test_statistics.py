import json

import numpy as np
import pytest

from eval.bootstrap import confidence_intervals, doc_confusions, paired_comparison
from eval.calibration import expected_calibration_error, fit_temperature, rescale
from eval.compare import ReportMismatch, compare


def test_bootstrap_interval_of_accuracy_matches_the_binomial_answer():
    # 400 one-sentence articles, half right: accuracy 0.5 with standard error sqrt(.25/400) = 0.025
    docs = [f"d{i}" for i in range(400)]
    gold = ["report"] * 400
    predicted = ["report", "background"] * 200
    _, counts = doc_confusions(docs, gold, predicted)
    interval = confidence_intervals(counts, resamples=4000)["accuracy"]
    assert interval["value"] == 0.5
    assert interval["low"] == pytest.approx(0.5 - 1.96 * 0.025, abs=0.008)
    assert interval["high"] == pytest.approx(0.5 + 1.96 * 0.025, abs=0.008)


def test_bootstrap_resamples_whole_articles():
    # two articles, one all right and one all wrong: every resample is 0, 0.5 or 1, never in between
    docs = ["a"] * 5 + ["b"] * 5
    _, counts = doc_confusions(docs, ["report"] * 10, ["report"] * 5 + ["denial"] * 5)
    assert counts.shape == (2, 16)
    interval = confidence_intervals(counts, resamples=500)["accuracy"]
    assert (interval["low"], interval["high"]) == (0.0, 1.0)


def test_paired_comparison_of_a_model_with_itself_is_exactly_zero():
    _, counts = doc_confusions(["a", "b", "c"], ["report", "denial", "background"], ["report", "report", "background"])
    result = paired_comparison(counts, counts, resamples=200)["macro_f1"]
    assert (result["delta"], result["low"], result["high"], result["p_value"]) == (0.0, 0.0, 0.0, 1.0)


def test_paired_comparison_finds_a_clearly_better_model():
    docs = [f"d{i}" for i in range(200)]
    gold = ["report", "denial"] * 100
    _, weak = doc_confusions(docs, gold, ["report"] * 200)
    _, strong = doc_confusions(docs, gold, gold)
    result = paired_comparison(weak, strong, resamples=1000)["accuracy"]
    assert result["delta"] == pytest.approx(0.5)
    assert result["low"] > 0.4 and result["p_value"] < 0.01


def test_expected_calibration_error_on_a_hand_computed_case():
    # bin 0.9-1.0: confidences .95 .95, one right -> |0.5 - 0.95| * 2/4
    # bin 0.6-0.7: confidences .65 .65, both right -> |1.0 - 0.65| * 2/4
    ece = expected_calibration_error([0.95, 0.95, 0.65, 0.65], [True, False, True, True])
    assert ece == pytest.approx(0.5 * 0.45 + 0.5 * 0.35)


def test_temperature_scaling_softens_overconfident_probabilities():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 4, size=500)
    # right 60% of the time but always 99% sure
    predicted = np.where(rng.random(500) < 0.6, gold, (gold + 1) % 4)
    probabilities = np.full((500, 4), 0.01 / 3)
    probabilities[np.arange(500), predicted] = 0.99
    temperature = fit_temperature(probabilities, gold)
    assert temperature > 1.5
    calibrated = rescale(probabilities, temperature).max(axis=1)
    correct = predicted == gold
    assert expected_calibration_error(calibrated, correct) < expected_calibration_error(probabilities.max(axis=1), correct)


def write_report(folder, data_hash, rows):
    folder.mkdir()
    (folder / "metrics.json").write_text(json.dumps({"meta": {"data_hash": data_hash, "data": "x.jsonl"}}))
    (folder / "predictions.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    return str(folder)


def test_compare_refuses_reports_on_different_test_data(tmp_path):
    rows = [{"id": "1", "doc_id": "d", "gold": "report", "label": "report"}]
    a = write_report(tmp_path / "a", "hash-one", rows)
    b = write_report(tmp_path / "b", "hash-two", rows)
    with pytest.raises(ReportMismatch, match=r"different data .*dev with dev, test with test"):
        compare([a, b])


def test_compare_gives_deltas_against_the_first_report(tmp_path):
    gold = ["report", "denial"] * 30
    rows_a = [{"id": str(i), "doc_id": f"d{i}", "gold": g, "label": "report"} for i, g in enumerate(gold)]
    rows_b = [{"id": str(i), "doc_id": f"d{i}", "gold": g, "label": g} for i, g in enumerate(gold)]
    a = write_report(tmp_path / "a", "same", rows_a)
    b = write_report(tmp_path / "b", "same", rows_b)
    result = compare([a, b], resamples=300)
    assert result["deltas"][b]["accuracy"]["delta"] == pytest.approx(0.5)
    assert result["models"][a]["accuracy"]["value"] == pytest.approx(0.5)


def test_compare_tells_reports_with_the_same_folder_name_apart():
    from eval.compare import short_names

    names = ["runs/cues/reports/test", "runs/tfidf/reports/test"]
    assert short_names(names) == {names[0]: "cues/reports/test", names[1]: "tfidf/reports/test"}
    assert short_names(["reports/a", "reports/b"]) == {"reports/a": "a", "reports/b": "b"}


def test_compare_on_one_corpus_counts_only_its_rows(tmp_path):
    # model b is right on ANT and wrong on SaudiNewsNet; a is the reverse
    rows_a, rows_b = [], []
    for i in range(40):
        corpus, gold = ("ant", "denial") if i % 2 else ("saudinewsnet", "report")
        base = {"id": str(i), "doc_id": f"d{i}", "gold": gold, "corpus": corpus}
        rows_a.append({**base, "label": gold if corpus == "saudinewsnet" else "background"})
        rows_b.append({**base, "label": gold if corpus == "ant" else "background"})
    a = write_report(tmp_path / "a", "same", rows_a)
    b = write_report(tmp_path / "b", "same", rows_b)
    on_ant = compare([a, b], resamples=200, corpus="ant")
    assert on_ant["n"] == 20
    assert on_ant["models"][a]["accuracy"]["value"] == 0.0 and on_ant["models"][b]["accuracy"]["value"] == 1.0
    assert compare([a, b], resamples=200)["deltas"][b]["accuracy"]["delta"] == 0.0


def test_compare_on_a_corpus_refuses_reports_without_one(tmp_path):
    rows = [{"id": "1", "doc_id": "d", "gold": "report", "label": "report"}]
    a, b = write_report(tmp_path / "a", "h", rows), write_report(tmp_path / "b", "h", rows)
    with pytest.raises(ReportMismatch, match="no rows of corpus 'ant'"):
        compare([a, b], corpus="ant")


def test_a_report_scores_each_corpus_apart_with_intervals():
    from eval.report import by_corpus

    rows = [{"doc_id": f"d{i}", "gold": "report", "label": "report" if i < 10 else "denial",
             "corpus": "saudinewsnet" if i < 10 else "ant"} for i in range(30)]
    scores = by_corpus(rows, resamples=200)
    assert scores["saudinewsnet"]["n"] == 10 and scores["saudinewsnet"]["accuracy"] == 1.0
    assert scores["ant"]["n"] == 20 and scores["ant"]["accuracy"] == 0.0
    assert scores["ant"]["intervals"]["accuracy"]["high"] == 0.0
    assert by_corpus([{**row, "corpus": ""} for row in rows]) == {}
