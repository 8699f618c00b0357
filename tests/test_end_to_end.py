"""Train the tiny model on the fixture, save, reload, predict, evaluate and tag: the product's main flow."""

import json

import numpy as np
import pytest
from transformers import AutoModelForSequenceClassification

from eval.__main__ import main as eval_main
from model import Tagger
from model.__main__ import main as model_main
from model.data import read_examples
from model.labels import LABELS
from train.config import ConfigError, load_config
from train.run import run

OVERRIDES = [
    # dev = train: 8 dev sentences cannot pick a checkpoint, 32 show whether the model learned
    "data.train=tests/fixtures/train.jsonl",
    "data.dev=tests/fixtures/train.jsonl",
    "data.test=tests/fixtures/test.jsonl",
    "model.tiny.vocab_size=600",
    "model.tiny.hidden_size=64",
    "model.tiny.intermediate_size=128",
    "training.num_train_epochs=40",
    "training.learning_rate=3e-3",
    "training.warmup_steps=0",
    "training.per_device_train_batch_size=8",
    "training.logging_steps=50",
    "data.articles=null",
    "early_stopping_patience=0",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("runs") / "tiny"
    return run(load_config("configs/tiny.yaml", [*OVERRIDES, f"output_dir={out}"]))


def test_a_run_directory_holds_model_reports_and_provenance(run_dir):
    for name in ("config.yaml", "provenance.json", "train_log.jsonl", "model/tagger.json", "model/model.safetensors",
                 "model/README.md", "reports/dev/metrics.json", "reports/test/report.md",
                 "reports/test/confusion_matrix.png"):
        assert (run_dir / name).is_file(), name
    provenance = json.loads((run_dir / "provenance.json").read_text())
    assert len(provenance["data"]["train"]["sha256"]) == 64
    assert "CC BY-NC-SA 4.0" in (run_dir / "model" / "README.md").read_text()


def test_the_reloaded_tagger_has_learned_its_training_sentences(run_dir, fixtures):
    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    train = read_examples(fixtures / "train.jsonl")
    predictions = tagger.predict([e.text for e in train], batch_size=8)
    accuracy = sum(p.label == e.label for p, e in zip(predictions, train)) / len(train)
    assert accuracy >= 0.8  # chance is 0.25
    first = predictions[0]
    assert set(first.probabilities) == set(LABELS)
    assert sum(first.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    assert first.score == max(first.probabilities.values())


def test_predict_keeps_input_order_whatever_the_batching(run_dir):
    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    sentences = ["نفى الوزير الخبر جملة وتفصيلا وقال إنه لا أساس له من الصحة.", "الرياض - واس", "قال الوزير."]
    one_by_one = [tagger.predict([s])[0] for s in sentences]
    batched = tagger.predict(sentences, batch_size=2)
    assert [p.text for p in batched] == sentences
    assert [p.label for p in batched] == [p.label for p in one_by_one]
    assert all(a.score == pytest.approx(b.score, abs=1e-5) for a, b in zip(batched, one_by_one))


def test_tag_article_splits_then_tags(run_dir, fixtures):
    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    text = (fixtures.parents[1] / "seeds" / "000_8c93d2595ca9e1e8.txt").read_text(encoding="utf-8")
    tagged = tagger.tag_article(text)
    assert len(tagged) == 20 and all(p.label in LABELS for p in tagged)


def test_plain_transformers_loads_the_saved_model(run_dir):
    model = AutoModelForSequenceClassification.from_pretrained(run_dir / "model")
    assert model.config.id2label == dict(enumerate(LABELS))


def test_eval_command_writes_a_report(run_dir, tmp_path, fixtures):
    out = tmp_path / "report"
    assert eval_main(["--model", str(run_dir / "model"), "--data", str(fixtures / "test.jsonl"), "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"accuracy", "macro_f1", "per_label", "confusion_matrix"} <= set(metrics)
    assert sum(m["support"] for m in metrics["per_label"].values()) == 8
    assert len((out / "predictions.jsonl").read_text().splitlines()) == 8


def test_tag_command_writes_jsonl(run_dir, tmp_path, fixtures):
    out = tmp_path / "tags.jsonl"
    seed = fixtures.parents[1] / "seeds" / "seed_article.jsonl"
    assert model_main(["tag", "--model", str(run_dir / "model"), str(seed), "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    gold = [json.loads(line)["label"] for line in seed.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 20 and rows[0]["id"].startswith("seed-") and rows[0]["prediction"]["label"] in LABELS
    assert [r["label"] for r in rows] == gold  # the input's gold labels stay as they were


def test_rerun_with_another_config_refuses_and_touches_nothing(run_dir):
    before = (run_dir / "config.yaml").read_text()
    changed = load_config("configs/tiny.yaml", [*OVERRIDES, f"output_dir={run_dir}", "training.learning_rate=1e-4"])
    with pytest.raises(ConfigError, match=r"different config \(changed: training.learning_rate\)"):
        run(changed)
    assert (run_dir / "config.yaml").read_text() == before


def test_a_folder_that_is_not_a_tagger_gets_a_clear_error(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(FileNotFoundError, match=r"not a trained tagger: tagger.json is missing \(found: config.json\)"):
        Tagger.from_pretrained(tmp_path)


def test_int8_copy_predicts_like_the_fp32_model(run_dir, tmp_path, fixtures):
    pytest.importorskip("onnxruntime")
    assert model_main(["quantize", "--model", str(run_dir / "model"), "--out", str(tmp_path / "int8")]) == 0
    int8 = Tagger.from_pretrained(tmp_path / "int8")
    assert int8.settings.kind == "onnx"
    sentences = [e.text for e in read_examples(fixtures / "train.jsonl")]
    fp32 = Tagger.from_pretrained(run_dir / "model", device="cpu").predict_proba(sentences)
    quantized = int8.predict_proba(sentences, batch_size=5)
    # most sentences get nearly the same probabilities; int8 rounding moves a few near-ties
    assert np.median(np.abs(fp32 - quantized).max(axis=1)) < 0.05
    # where the fp32 model is sure, int8 says the same
    top_two = np.sort(fp32, axis=1)[:, -2:]
    clear = top_two[:, 1] - top_two[:, 0] > 0.3
    assert clear.sum() >= 5 and (fp32.argmax(1) == quantized.argmax(1))[clear].all()


def test_over_long_sentences_are_truncated_and_flagged(run_dir):
    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    long_sentence = " ".join(["وقال الوزير إن الخطة ستبدأ غدا"] * 60)
    short, long_ = tagger.predict(["قال الوزير.", long_sentence])
    assert (short.truncated, long_.truncated) == (False, True)


def test_the_saved_folder_works_with_a_plain_transformers_pipeline(run_dir):
    from transformers import pipeline

    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    assert tagger.tokenizer.model_max_length == tagger.settings.max_length == 96
    classify = pipeline("text-classification", model=str(run_dir / "model"), device="cpu")
    long_sentence = " ".join(["وقال الوزير إن الخطة ستبدأ غدا"] * 60)  # far past the model's 128 positions
    assert classify(long_sentence, truncation=True)[0]["label"] in LABELS


def test_the_model_card_has_hugging_face_metadata_and_no_machine_paths(run_dir):
    from huggingface_hub import ModelCard

    card = ModelCard.load(run_dir / "model" / "README.md")
    assert card.data.library_name == "transformers" and card.data.pipeline_tag == "text-classification"
    assert card.data.datasets == ["saudinewsnet", "ant"] and card.data.license == "cc-by-nc-sa-4.0"  # data.corpora: both
    results = card.data.eval_results  # huggingface_hub parses model-index into these
    assert {r.metric_type for r in results} == {"accuracy", "f1"} and {r.dataset_split for r in results} == {"test"}
    assert str(run_dir.parent) not in card.text and str(run_dir.parent) not in card.content
