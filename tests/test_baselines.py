"""The two baselines train, save, reload and report through the same commands as the transformer."""

import json

import pytest

from eval.__main__ import main as eval_main
from model import Tagger
from train.config import load_config
from train.run import run

FIXTURE_DATA = [
    *(f"data.{split}=tests/fixtures/{split}.jsonl" for split in ("train", "dev", "test")),
    "data.articles=null",
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("baselines")
    return {
        kind: run(load_config(f"configs/{kind}.yaml", [*FIXTURE_DATA, f"output_dir={root / kind}"]))
        for kind in ("tfidf", "cues")
    }


def test_tfidf_model_is_saved_without_pickle_and_reloads_to_the_same_predictions(runs, fixtures):
    folder = runs["tfidf"] / "model"
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "tagger.json", "tfidf.json", "tfidf.safetensors"]
    sentences = [json.loads(line)["text"] for line in (fixtures / "test.jsonl").read_text().splitlines()]
    first, second = Tagger.from_pretrained(folder).predict(sentences), Tagger.from_pretrained(folder).predict(sentences)
    assert [p.probabilities for p in first] == [p.probabilities for p in second]


def test_tfidf_fits_its_training_data(runs, fixtures):
    tagger = Tagger.from_pretrained(runs["tfidf"] / "model")
    rows = [json.loads(line) for line in (fixtures / "train.jsonl").read_text().splitlines()]
    predictions = tagger.predict([r["text"] for r in rows])
    assert sum(p.label == r["label"] for p, r in zip(predictions, rows)) / len(rows) >= 0.9


def test_cue_baseline_follows_the_spec_order(runs):
    tagger = Tagger.from_pretrained(runs["cues"] / "model")
    labels = [p.label for p in tagger.predict(["نفى الوزير ما نشر.", "وتشير تقارير إلى أن الفريق تعاقد.", "الطقس حار."])]
    assert labels == ["denial", "allegation", "background"]


def test_every_kind_gets_the_same_report_files(runs):
    for kind, run_dir in runs.items():
        report = run_dir / "reports" / "test"
        names = {p.name for p in report.iterdir()}
        assert {"metrics.json", "predictions.jsonl", "report.md", "report.html", "confusion_matrix.png",
                "reliability.png"} <= names, kind
        metrics = json.loads((report / "metrics.json").read_text())
        assert {"intervals", "calibration", "confusions", "by_source", "by_cue", "seed_article"} <= set(metrics)


def test_html_report_is_self_contained(runs):
    page = (runs["tfidf"] / "reports" / "test" / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 2
    assert 'src="http' not in page and "<link" not in page


def test_compare_command_prints_the_table_with_intervals(runs, tmp_path, capsys):
    reports = []
    for kind in ("cues", "tfidf"):
        out = tmp_path / kind
        assert eval_main(["--model", str(runs[kind] / "model"), "--data", "tests/fixtures/test.jsonl",
                          "--out", str(out), "--articles", "", "--resamples", "500"]) == 0
        reports.append(str(out))
    capsys.readouterr()
    assert eval_main(["compare", *reports, "--resamples", "500"]) == 0
    table = capsys.readouterr().out
    assert "| macro_f1 |" in table and "tfidf − cues" in table and "p=" in table


def test_baseline_cards_do_not_claim_a_transformers_pipeline(runs):
    from huggingface_hub import ModelCard

    tfidf, cues = (ModelCard.load(runs[kind] / "model" / "README.md").data for kind in ("tfidf", "cues"))
    assert tfidf.library_name == "sklearn" and tfidf.pipeline_tag is None
    assert cues.library_name is None and cues.pipeline_tag is None
