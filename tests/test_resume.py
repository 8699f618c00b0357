"""A training run killed by SIGKILL or stopped by SIGTERM resumes from its last checkpoint to the same result."""

import json
import os
import signal
import subprocess
import sys

import pytest

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
    macro_f1 = train(tmp_path_factory.mktemp("straight") / "run")
    assert macro_f1 > 0.5  # the model learns, so equal scores after a resume mean something
    return macro_f1


def test_sigkill_then_rerun_reaches_the_same_dev_macro_f1(tmp_path, uninterrupted):
    run_dir = tmp_path / "run"
    assert start_and_interrupt(run_dir, signal.SIGKILL, after_checkpoints=6) == -signal.SIGKILL
    assert not (run_dir / "model").exists()
    assert train(run_dir) == pytest.approx(uninterrupted, abs=0.005)


def test_sigterm_saves_a_checkpoint_and_stops_cleanly(tmp_path, uninterrupted):
    run_dir = tmp_path / "run"
    assert start_and_interrupt(run_dir, signal.SIGTERM, after_checkpoints=3) == 130
    assert list((run_dir / "checkpoints").glob("checkpoint-*"))
    assert train(run_dir) == pytest.approx(uninterrupted, abs=0.005)


def test_an_incomplete_checkpoint_is_removed_not_resumed(tmp_path):
    from train.resilience import last_complete_checkpoint

    good, broken = tmp_path / "checkpoint-4", tmp_path / "checkpoint-8"
    good.mkdir()
    (good / "trainer_state.json").write_text("{}")
    broken.mkdir()
    (broken / "model.safetensors").write_bytes(b"half")
    assert last_complete_checkpoint(tmp_path) == str(good)
    assert not broken.exists()
