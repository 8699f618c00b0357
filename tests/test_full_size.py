"""The users' model size goes through `python -m train` with configs/arabert.yaml: a local stand-in
with AraBERT v0.2 base's exact configuration (random weights, a 64,000-piece vocabulary trained
on corpus text) trains, saves, reloads and predicts on the CPU."""

import pytest
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from benchmarks.subjects import ARABERT_V02, arabert_standin, corpus_sentences
from model import Tagger
from model.data import read_examples
from model.preprocess import DEFAULT_MODEL, preprocessing_for
from train.config import load_config
from train.run import run


@pytest.mark.slow
def test_an_arabert_sized_model_trains_saves_reloads_and_predicts(tmp_path, fixtures):
    standin = arabert_standin(tmp_path / "arabert-standin", corpus_sentences(20_000, seed=1))
    config = load_config("configs/arabert.yaml", [
        f"model.name_or_path={standin}", f"output_dir={tmp_path / 'run'}",
        "data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/dev.jsonl", "data.test=tests/fixtures/test.jsonl",
        "data.articles=null", "data.seed_article=null", "training.max_steps=2", "training.per_device_eval_batch_size=16",
    ])
    assert config.model.max_length == 256 and config.model.preprocessing == DEFAULT_MODEL
    run_dir = run(config)

    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    assert {k: getattr(tagger.model.config, k) for k in ARABERT_V02} == ARABERT_V02
    sentences = [e.text for e in read_examples(fixtures / "test.jsonl")]
    long_sentence = " ".join(sentences * 6)  # about 400 words, past 256 tokens: cut and flagged, not an error
    predictions = tagger.predict([*sentences, long_sentence])
    assert [p.truncated for p in predictions] == [False] * len(sentences) + [True]

    plain = AutoModelForSequenceClassification.from_pretrained(run_dir / "model").eval()
    tokenizer = AutoTokenizer.from_pretrained(run_dir / "model")
    prepare = preprocessing_for(DEFAULT_MODEL)
    batch = tokenizer([prepare(s) for s in sentences], padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.inference_mode():
        logits = plain(**batch).logits
    probabilities = torch.softmax(logits / tagger.settings.temperature, dim=-1)
    expected = torch.tensor([[p.probabilities[label] for label in plain.config.id2label.values()] for p in predictions[:-1]])
    torch.testing.assert_close(probabilities, expected, atol=1e-4, rtol=1e-4)
