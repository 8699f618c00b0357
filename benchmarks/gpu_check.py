"""The GPU path, checked on a machine with CUDA: python -m benchmarks.gpu_check

With CUDA, it builds the AraBERT stand-in (AraBERT v0.2 base's configuration, random
weights; see benchmarks/subjects.py), trains it for 200 steps with configs/arabert.yaml on
data/train.jsonl in bf16 (fp16 where bf16 is not supported), and prints samples/s, peak
GPU memory and the first and last logged loss; then it tags 20,000 corpus sentences and
prints sentences/s. With several GPUs it trains again under `accelerate launch` on all of
them. Without CUDA it says so and does a dry run of the same flow on the CPU with a small
model, a few steps and a few hundred sentences, and exits 0 (CI runs that).
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

from benchmarks.subjects import ARABERT_V02, SMALL, arabert_standin, corpus_sentences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gpu_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=200, help="training steps on a GPU")
    parser.add_argument("--sentences", type=int, default=20_000, help="sentences to tag on a GPU")
    parser.add_argument("--work", help="folder for the stand-in and the runs (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    cuda = torch.cuda.is_available()
    if cuda:
        gpus = torch.cuda.device_count()
        print(f"CUDA: {gpus} x {torch.cuda.get_device_name(0)}")
        sizes, steps, sentences = ARABERT_V02, args.steps, args.sentences
    else:
        print("no CUDA device here: a CPU dry run of the same flow (small model, 3 steps, 200 sentences)")
        gpus, sizes, steps, sentences = 0, SMALL, 3, 200
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="gpu-check-"))
    try:
        standin = arabert_standin(work / "standin", corpus_sentences(60_000 if cuda else 5_000, seed=1), sizes)
        overrides = [f"model.name_or_path={standin}", "data.test=null", f"training.max_steps={steps}",
                     "training.logging_steps=10" if cuda else "training.logging_steps=1"]
        train_once(work / "run", overrides, cuda)
        tag_speed(work / "run" / "model", sentences)
        if gpus > 1:
            train_distributed(work / f"run-{gpus}gpus", overrides, gpus)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def train_once(run_dir: Path, overrides: list[str], cuda: bool) -> None:
    """Train in this process; print speed, precision, peak GPU memory and the loss curve's ends."""
    from train.config import load_config
    from train.run import run, training_arguments

    config = load_config("configs/arabert.yaml", [*overrides, f"output_dir={run_dir}"])
    arguments = training_arguments(config, run_dir)
    precision = "bf16" if arguments.bf16 else "fp16" if arguments.fp16 else "fp32"
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    run(config)
    peak = f"{torch.cuda.max_memory_allocated() / 2**20:,.0f} MB" if cuda else "n/a (CPU)"
    print(f"training, 1 process: {describe_log(run_dir)}, {precision}, peak GPU memory {peak}")


def train_distributed(run_dir: Path, overrides: list[str], gpus: int) -> None:
    """Train the same run under accelerate launch on every GPU."""
    command = ["accelerate", "launch", "--multi_gpu", "--num_processes", str(gpus), "-m", "train",
               "--config", "configs/arabert.yaml", "--output-dir", str(run_dir), *overrides]
    subprocess.run(command, check=True)
    print(f"training, {gpus} processes: {describe_log(run_dir)}")


def describe_log(run_dir: Path) -> str:
    """Samples/s and the first and last logged training loss, from the run's train_log.jsonl."""
    log = [json.loads(line) for line in (run_dir / "train_log.jsonl").read_text().splitlines()]
    losses = [entry["loss"] for entry in log if "loss" in entry]
    speed = next(entry["train_samples_per_second"] for entry in log if "train_samples_per_second" in entry)
    return f"{speed:.1f} samples/s, loss {losses[0]:.3f} (first) -> {losses[-1]:.3f} (last)"


def tag_speed(model_dir: Path, count: int) -> None:
    """Tag `count` corpus sentences with the trained tagger; print sentences/s."""
    from model import Tagger

    tagger = Tagger.from_pretrained(model_dir)
    sentences = corpus_sentences(count, seed=2)
    tagger.predict(sentences[:256])  # warm-up
    start = time.perf_counter()
    tagger.predict(sentences)
    seconds = time.perf_counter() - start
    print(f"tagging on {tagger.device}: {count:,} sentences, {count / seconds:,.1f} sentences/s")


if __name__ == "__main__":
    sys.exit(main())
