"""The tiny BERT pretrained on masked words in unlabelled news, once, then shared by the runs that train on it."""

import json

import pytest
import torch
from transformers import AutoTokenizer, BertForMaskedLM

from model.preprocess import text_preparation
from train.config import load_config
from train.pretrain import SparseMaskedLM, pretraining_texts
from train.run import run
from train.tiny import bert_config

SMALL = [
    "data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/dev.jsonl", "data.test=tests/fixtures/test.jsonl",
    "data.articles=null", "model.tiny.vocab_size=600", "model.tiny.hidden_size=32", "model.tiny.intermediate_size=64",
    "training.num_train_epochs=2", "training.per_device_train_batch_size=8", "early_stopping_patience=0",
]


def pretraining(corpora, sentences: int = 50) -> list[str]:
    return [f"model.tiny.pretrain.sentences={sentences}", f"model.tiny.pretrain.corpora=[{corpora[0]}, {corpora[1]}]",
            "model.tiny.pretrain.epochs=20", "model.tiny.pretrain.batch_size=8"]


def test_a_tiny_bert_pretrained_once_is_shared_by_every_run_of_the_same_text(corpora, tmp_path):
    first = run(load_config("configs/tiny.yaml", [*SMALL, *pretraining(corpora), f"output_dir={tmp_path / 'a'}"]))
    (folder,) = (tmp_path / "pretrained-tiny").iterdir()   # beside the run folders
    done = json.loads((folder / "pretraining.json").read_text(encoding="utf-8"))
    assert 0 < done["sentences"] <= 50 and done["gold_texts"] == 32
    assert done["last_loss"] < done["first_loss"]   # it learnt to fill in masked words
    assert not (folder / "checkpoints").exists()   # kept only until the model is saved
    assert "Pretrained from random weights on masked words" in (first / "model" / "README.md").read_text("utf-8")
    # the run's tagger reads with the pretraining's vocabulary
    assert AutoTokenizer.from_pretrained(first / "model").get_vocab() == AutoTokenizer.from_pretrained(folder).get_vocab()

    saved = (folder / "model.safetensors").stat().st_mtime_ns
    run(load_config("configs/tiny.yaml", [*SMALL, *pretraining(corpora), "training.seed=7",
                                          f"output_dir={tmp_path / 'b'}"]))   # another seed: the same pretraining
    assert [p.name for p in (tmp_path / "pretrained-tiny").iterdir()] == [folder.name]
    assert (folder / "model.safetensors").stat().st_mtime_ns == saved
    run(load_config("configs/tiny.yaml", [*SMALL, *pretraining(corpora, sentences=5), f"output_dir={tmp_path / 'c'}"]))
    assert len(list((tmp_path / "pretrained-tiny").iterdir())) == 2   # other text: a pretraining of its own


def test_a_damaged_pretraining_is_named_and_kept(corpora, tmp_path):
    overrides = [*SMALL, *pretraining(corpora, sentences=5), "training.num_train_epochs=1"]
    run(load_config("configs/tiny.yaml", [*overrides, f"output_dir={tmp_path / 'a'}"]))
    (folder,) = (tmp_path / "pretrained-tiny").iterdir()
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])   # cut short, say by a full disk
    with pytest.raises(ValueError, match=f"{folder}: not a finished pretraining .*delete the folder"):
        run(load_config("configs/tiny.yaml", [*overrides, f"output_dir={tmp_path / 'b'}"]))
    assert weights.stat().st_size == 1000


def test_pretraining_reads_gold_train_text_and_training_period_news_never_held_out_text(corpora):
    config = load_config("configs/tiny.yaml", [*SMALL, *pretraining(corpora)])
    prepare = text_preparation(config.model.normalization, config.model.preprocessing)
    texts = pretraining_texts(config, ["نص تدريب."], prepare)
    assert texts[0] == "نص تدريب."
    assert prepare("انعقدت القمة في موعدها.") in texts   # ANT, July 2018
    assert prepare("خبر من سبتمبر.") not in texts and prepare("هذا خبر من الأيام المحجوزة للاختبار.") not in texts


def test_scoring_only_the_masked_positions_gives_the_loss_of_the_whole_output_layer():
    torch.manual_seed(0)
    config = bert_config(load_config("configs/tiny.yaml", ["data.articles=null"]).model.tiny, vocab_size=50,
                         max_length=16)
    sparse = SparseMaskedLM(config).eval()
    dense = BertForMaskedLM(config).eval()
    dense.load_state_dict(sparse.state_dict())
    input_ids = torch.randint(5, 50, (3, 12))
    labels = torch.full_like(input_ids, -100)
    labels[0, 2], labels[1, 5], labels[1, 7], labels[2, 11] = 9, 17, 30, 44
    with torch.no_grad():
        assert torch.allclose(sparse(input_ids, labels=labels).loss, dense(input_ids, labels=labels).loss, atol=1e-5)
