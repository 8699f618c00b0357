"""Inference speed on this machine: the usual ways against the Tagger, in one run, on the same model and sentences.

    python -m benchmarks.bench_inference                     # BERT-base size, AraBERT's vocabulary (slow)
    python -m benchmarks.bench_inference --model runs/tiny/model --sentences 2000   # the quick one

Each way runs in its own process (so peak memory is its own) after a warm-up. Printed:
sentences/s, the ratio to the transformers pipeline at batch 32, the share of the
machine's measured fp32 matrix-multiply peak that the useful (unpadded) FLOPs reach,
and peak resident memory.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WAYS = ["pipeline-b1", "pipeline-b32", "pad-to-longest-b32", "tagger-fp32", "tagger-int8"]
REFERENCE = "pipeline-b32"


def run_way(way: str, model: str, int8: str, sentences: list[str]) -> float:
    """Time one way of tagging `sentences`; return the seconds taken (after a warm-up)."""
    import torch

    from model.preprocess import text_preparation
    from model.tagger import Tagger

    if way.startswith("tagger"):
        tagger = Tagger.from_pretrained(int8 if way == "tagger-int8" else model, device="cpu")
        tagger.predict(sentences[:32])
        start = time.perf_counter()
        tagger.predict(sentences, batch_size=32)
        return time.perf_counter() - start
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    settings = json.loads((Path(model) / "tagger.json").read_text())
    prepare = text_preparation(settings.get("normalization"), settings["preprocessing"])
    texts = [prepare(s) for s in sentences]  # preprocessing is left out of these timings
    tokenizer = AutoTokenizer.from_pretrained(model)
    classifier = AutoModelForSequenceClassification.from_pretrained(model).eval()
    if way.startswith("pipeline"):
        batch = 1 if way == "pipeline-b1" else 32
        pipe = pipeline("text-classification", model=classifier, tokenizer=tokenizer, device="cpu", top_k=None)
        pipe(texts[:8], batch_size=batch, truncation=True, max_length=settings["max_length"])
        start = time.perf_counter()
        pipe(texts, batch_size=batch, truncation=True, max_length=settings["max_length"])
        return time.perf_counter() - start
    # pad-to-longest: every sentence padded to the longest of the whole input, batches of 32
    encoded = tokenizer(texts, padding="longest", truncation=True, max_length=settings["max_length"], return_tensors="pt")
    with torch.inference_mode():
        classifier(**{k: v[:32] for k, v in encoded.items()})
        start = time.perf_counter()
        for i in range(0, len(texts), 32):
            torch.softmax(classifier(**{k: v[i : i + 32] for k, v in encoded.items()}).logits, dim=-1)
        return time.perf_counter() - start


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss it is not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fp32_peak_flops(seconds: float = 2.0) -> float:
    """The machine's fp32 matrix-multiply rate (FLOP/s), measured with PyTorch on 1024x1024 matrices."""
    import torch

    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    for _ in range(3):
        a @ b
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    return 2 * 1024**3 * count / (time.perf_counter() - start)


def useful_flops(model: str, sentences: list[str]) -> float:
    """FLOPs of the encoder on the unpadded tokens: the work any method must do."""
    from transformers import AutoConfig, AutoTokenizer

    from model.batching import encode
    from model.preprocess import text_preparation

    settings = json.loads((Path(model) / "tagger.json").read_text())
    config = AutoConfig.from_pretrained(model)
    tokenizer = AutoTokenizer.from_pretrained(model)
    prepare = text_preparation(settings.get("normalization"), settings["preprocessing"])
    ids, _ = encode(tokenizer, [prepare(s) for s in sentences], settings["max_length"])
    h, i, layers = config.hidden_size, config.intermediate_size, config.num_hidden_layers
    return sum(len(row) * layers * (2 * (4 * h * h + 2 * h * i) + 4 * len(row) * h) for row in ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a trained transformer tagger (default: a BERT-base-sized random one)")
    parser.add_argument("--sentences", type=int, default=384)
    parser.add_argument("--ways", nargs="+", default=WAYS, choices=WAYS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--int8", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sentences = json.loads(Path(args.input).read_text(encoding="utf-8"))
        seconds = run_way(args.worker, args.model, args.int8, sentences)
        print(json.dumps({"seconds": seconds, "peak_mb": peak_rss_mb()}))
        return

    from benchmarks.subjects import base_sized_tagger, corpus_sentences
    from model.onnx_tagger import export_int8
    from model.tagger import Tagger

    work = Path(tempfile.mkdtemp(prefix="bench-"))
    sentences = corpus_sentences(args.sentences)
    model = args.model or str(base_sized_tagger(work / "base", corpus_sentences(60_000, seed=1)))
    int8 = str(export_int8(Tagger.from_pretrained(model, device="cpu"), work / "int8"))
    (work / "sentences.json").write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
    peak = fp32_peak_flops()
    flops = useful_flops(model, sentences)
    results = {}
    for way in args.ways:
        command = [sys.executable, "-m", "benchmarks.bench_inference", "--worker", way, "--model", model,
                   "--int8", int8, "--input", str(work / "sentences.json")]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results[way] = json.loads(output.strip().splitlines()[-1])
        print(f"  measured {way}: {results[way]['seconds']:.1f} s", file=sys.stderr)
    reference = results.get(REFERENCE)
    print(f"\nmodel: {args.model or 'BERT-base size, 64k vocabulary, random weights'}; {len(sentences)} sentences; "
          f"fp32 matmul peak {peak / 1e9:.0f} GFLOP/s\n")
    print("| way | sentences/s | vs pipeline b32 | share of fp32 peak | peak memory MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for way, r in results.items():
        rate = len(sentences) / r["seconds"]
        ratio = f"{reference['seconds'] / r['seconds']:.2f}x" if reference else "-"
        share = "n/a (int8)" if way.endswith("int8") else f"{flops / r['seconds'] / peak:.0%}"
        print(f"| {way} | {rate:.1f} | {ratio} | {share} | {r['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
