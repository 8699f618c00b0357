"""A training run stopped by SIGTERM or killed by SIGKILL resumes from its last checkpoint to
exactly the model an uninterrupted run trains, wherever in an epoch the stop lands."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
import torch
from safetensors.torch import load_file
from transformers import TrainerControl, TrainerState

from train.resilience import EpochSeededLengthGroupedSampler, GracefulStop, last_complete_checkpoint

OVERRIDES = [
    # dev = train, so that dev macro-F1 moves with every step and a resume that went astray would show
    "data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/train.jsonl", "data.test=tests/fixtures/test.jsonl",
    "data.articles=null", "model.tiny.vocab_size=600", "model.tiny.hidden_size=64", "model.tiny.intermediate_size=128",
    "training.num_train_epochs=25", "training.learning_rate=3e-3", "training.warmup_steps=0",
    "training.per_device_train_batch_size=8", "early_stopping_patience=0",
]
ENV = {**os.environ, "PYTHONPATH": os.getcwd(), "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1"}


def command(run_dir):
    return [sys.executable, "-m", "train", "--config", "configs/tiny.yaml", "--output-dir", str(run_dir), *OVERRIDES]


def train(run_dir):
    result = subprocess.run(command(run_dir), capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((run_dir / "reports" / "dev" / "metrics.json").read_text())["macro_f1"]


def weights(run_dir):
    return load_file(str(run_dir / "model" / "model.safetensors"))


def start_and_interrupt(run_dir, sig, after_checkpoints):
    """Start training, wait (reading its output) for the n-th saved checkpoint, then send `sig`."""
    process = subprocess.Popen(command(run_dir), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=ENV)
    seen = 0
    for line in process.stdout:
        if line.startswith("checkpoint saved"):
            seen += 1
            if seen == after_checkpoints:
                process.send_signal(sig)
    return process.wait(timeout=600)  # the loop above read its output to the end


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("straight") / "run"
    macro_f1 = train(run_dir)
    assert macro_f1 > 0.5  # the model learns, so equal models after a resume mean something
    return run_dir


def same_tokenizer_as(uninterrupted, run_dir):
    # The tiny model's WordPiece training is not reproducible across processes (hash-map
    # order, huggingface/tokenizers#1794); a run keeps its tokenizer, so share it here.
    shutil.copytree(uninterrupted / "tokenizer", run_dir / "tokenizer")


def assert_same_model(run_dir, uninterrupted):
    resumed, straight = weights(run_dir), weights(uninterrupted)
    assert resumed.keys() == straight.keys()
    assert all(torch.equal(resumed[name], straight[name]) for name in straight)


def test_sigkill_then_rerun_trains_the_same_model(tmp_path, uninterrupted):
    run_dir = tmp_path / "run"
    same_tokenizer_as(uninterrupted, run_dir)
    assert start_and_interrupt(run_dir, signal.SIGKILL, after_checkpoints=6) == -signal.SIGKILL
    assert not (run_dir / "model").exists()
    train(run_dir)
    assert_same_model(run_dir, uninterrupted)


def test_sigterm_saves_a_checkpoint_stops_cleanly_and_resumes_to_the_same_model(tmp_path, uninterrupted):
    run_dir = tmp_path / "run"
    same_tokenizer_as(uninterrupted, run_dir)
    # the signal lands a little after an epoch's checkpoint, usually a few steps into the next epoch
    assert start_and_interrupt(run_dir, signal.SIGTERM, after_checkpoints=3) == 130
    assert list((run_dir / "checkpoints").glob("checkpoint-*"))
    train(run_dir)
    assert_same_model(run_dir, uninterrupted)


def test_a_stop_mid_epoch_saves_there_and_skips_the_epoch_end_evaluation():
    stop, state, control = GracefulStop(), TrainerState(epoch=2.25), TrainerControl()
    stop.requested = True
    stop.on_step_end(None, state, control)
    assert control.should_training_stop and control.should_save
    control.should_evaluate = True  # what the epoch schedule asks for when the loop ends
    stop.on_epoch_end(None, state, control)
    assert not control.should_evaluate and not control.should_save


def test_a_stop_on_an_epochs_last_step_evaluates_and_saves_at_the_epoch_end():
    stop, state, control = GracefulStop(), TrainerState(epoch=3.0), TrainerControl()
    stop.requested = True
    stop.on_step_end(None, state, control)
    assert control.should_training_stop and not control.should_save
    control.should_evaluate = True
    stop.on_epoch_end(None, state, control)
    assert control.should_evaluate and control.should_save


def test_the_batch_order_depends_on_seed_and_epoch_only():
    lengths = [5, 9, 3, 7, 12, 4, 8, 6] * 4
    first = EpochSeededLengthGroupedSampler(8, lengths, seed=42)
    first.set_epoch(3)
    order = list(first)
    torch.manual_seed(0)  # a restarted process has a different global RNG state
    torch.rand(100)
    second = EpochSeededLengthGroupedSampler(8, lengths, seed=42)
    second.set_epoch(3)
    assert list(second) == order
    second.set_epoch(4)
    assert list(second) != order and sorted(second) == sorted(order)


def test_an_incomplete_checkpoint_is_removed_not_resumed(tmp_path):
    good, broken = tmp_path / "checkpoint-4", tmp_path / "checkpoint-8"
    good.mkdir()
    (good / "trainer_state.json").write_text("{}")
    broken.mkdir()
    (broken / "model.safetensors").write_bytes(b"half")
    assert last_complete_checkpoint(tmp_path) == str(good)
    assert not broken.exists()
