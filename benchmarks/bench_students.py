"""Tagging speed of a teacher and its distilled students, fp32 and int8, in one run on the same sentences.

    python -m benchmarks.bench_students runs/e5-small/model runs/distill-e5-2layers/model runs/tiny-distilled/model

The first folder is the teacher: every ratio is to its fp32 speed. Each model's int8 copy is
exported here (ONNX Runtime, as `python -m model quantize` makes it), and each (model, precision)
is timed in its own process after a warm-up, through `Tagger.predict` at batch 32.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def measure(model: str, int8: str, way: str, sentences_file: Path) -> dict:
    """Seconds and peak memory of one (model, way), timed by bench_inference's worker in a fresh process."""
    command = [sys.executable, "-m", "benchmarks.bench_inference", "--worker", way, "--model", model,
               "--int8", int8, "--input", str(sentences_file)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="+", help="transformer tagger folders; the first is the teacher")
    parser.add_argument("--sentences", type=int, default=384)
    parser.add_argument("--no-int8", action="store_true", help="time fp32 only")
    args = parser.parse_args()

    from benchmarks.subjects import corpus_sentences
    from model.onnx_tagger import export_int8
    from model.tagger import Tagger

    work = Path(tempfile.mkdtemp(prefix="bench-students-"))
    sentences_file = work / "sentences.json"
    sentences_file.write_text(json.dumps(corpus_sentences(args.sentences), ensure_ascii=False), encoding="utf-8")
    rows = []
    for index, model in enumerate(args.models):
        int8 = str(work / f"int8-{index}")
        ways = ["tagger-fp32"]
        if not args.no_int8:
            export_int8(Tagger.from_pretrained(model, device="cpu"), int8)
            ways.append("tagger-int8")
        for way in ways:
            result = measure(model, int8, way, sentences_file)
            print(f"  measured {model} {way}: {result['seconds']:.1f} s", file=sys.stderr)
            rows.append((model, way.removeprefix("tagger-"), result))
    teacher_seconds = rows[0][2]["seconds"]
    print(f"\n{args.sentences} SaudiNewsNet sentences; batch 32; ratios to the teacher ({args.models[0]}) in fp32\n")
    print("| model | precision | sentences/s | vs teacher fp32 | peak memory MB |")
    print("| --- | --- | ---: | ---: | ---: |")
    for model, precision, result in rows:
        rate = args.sentences / result["seconds"]
        print(f"| {model} | {precision} | {rate:.1f} | {teacher_seconds / result['seconds']:.2f}x | "
              f"{result['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
