"""Two training processes (torchrun, gloo on the CPU), as `accelerate launch` starts them on GPUs: they train
one model together, and only the main process writes: one tokenizer, one model folder, one set of reports."""

import json
import os
import subprocess
import sys

import pytest

from model import Tagger
from model.data import read_examples

OVERRIDES = [
    "data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/train.jsonl", "data.test=tests/fixtures/test.jsonl",
    "data.articles=null", "model.tiny.vocab_size=600", "model.tiny.hidden_size=64", "model.tiny.intermediate_size=128",
    "training.num_train_epochs=4", "training.learning_rate=3e-3", "training.warmup_steps=0",
    "training.per_device_train_batch_size=4", "early_stopping_patience=0",
]


@pytest.fixture(scope="module")
def two_process_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("ddp") / "run"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "train", "--config", "configs/tiny.yaml", "--output-dir", str(run_dir), *OVERRIDES]
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.getcwd()}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    return run_dir, result.stdout


def test_both_processes_finish_and_one_complete_run_folder_is_written(two_process_run):
    run_dir, stdout = two_process_run
    assert stdout.count("run complete") == 2
    assert sorted(p.name for p in run_dir.iterdir()) == [
        "checkpoints", "config.yaml", "model", "provenance.json", "reports", "tokenizer", "train.lock", "train_log.jsonl"]
    assert sorted(p.name for p in (run_dir / "reports").iterdir()) == ["dev", "test"]
    for name in ("model.safetensors", "tagger.json", "tokenizer.json", "config.json", "README.md"):
        assert (run_dir / "model" / name).is_file(), name


def test_training_ran_on_two_processes_with_the_batch_split_between_them(two_process_run):
    run_dir, _ = two_process_run
    log = [json.loads(line) for line in (run_dir / "train_log.jsonl").read_text().splitlines()]
    # 32 sentences, 4 per process and step: 4 steps per epoch on 2 processes (8 on one)
    assert max(entry["step"] for entry in log) == 4 * 4


def test_the_reports_are_those_of_the_saved_model_loaded_fresh(two_process_run, fixtures):
    run_dir, _ = two_process_run
    rows = [json.loads(line) for line in (run_dir / "reports" / "test" / "predictions.jsonl").read_text().splitlines()]
    texts = {e.id: e.text for e in read_examples(fixtures / "test.jsonl")}
    fresh = Tagger.from_pretrained(run_dir / "model", device="cpu").predict([texts[r["id"]] for r in rows])
    for row, prediction in zip(rows, fresh):
        assert row["label"] == prediction.label
        for label, probability in prediction.probabilities.items():
            assert row["probabilities"][label] == pytest.approx(probability, abs=1e-5)


def test_two_processes_pretrain_the_tiny_bert_together_and_share_it(corpora, tmp_path):
    run_dir = tmp_path / "run"
    pretraining = ["model.tiny.pretrain.sentences=50", f"model.tiny.pretrain.corpora=[{corpora[0]}, {corpora[1]}]",
                   "model.tiny.pretrain.epochs=2", "model.tiny.pretrain.batch_size=4", "training.num_train_epochs=1"]
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
               "-m", "train", "--config", "configs/tiny.yaml", "--output-dir", str(run_dir), *OVERRIDES, *pretraining]
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "HF_HUB_OFFLINE": "1", "PYTHONPATH": os.getcwd()}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    assert result.stdout.count("run complete") == 2
    (folder,) = (tmp_path / "pretrained-tiny").iterdir()
    done = json.loads((folder / "pretraining.json").read_text(encoding="utf-8"))
    texts = done["sentences"] + done["gold_texts"]
    assert done["steps"] == 2 * -(-texts // (4 * 2))   # two epochs, 4 texts per process and step, on 2 processes
