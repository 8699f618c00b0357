"""Peak memory of `python -m model tag` on a large file against a small one, in one run.

    python -m benchmarks.bench_memory --model runs/tiny/model            # 1,000 vs 100,000 sentences

Streaming holds a bounded chunk in memory, so the large file should peak within 1.5x
of the small one. Each size runs in its own process; peak is VmHWM (peak resident memory).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_inference import peak_rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="runs/tiny/model")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        from model.tag_file import tag_file

        start = time.perf_counter()
        count = tag_file(args.worker[0], args.model, args.worker[1], overwrite=True)
        print(json.dumps({"count": count, "seconds": time.perf_counter() - start, "peak_mb": peak_rss_mb()}))
        return

    from benchmarks.subjects import corpus_sentences

    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    pool = corpus_sentences(max(args.sizes))
    results = {}
    for size in args.sizes:
        source = work / f"in-{size}.jsonl"
        source.write_text("".join(json.dumps({"id": i, "text": s}, ensure_ascii=False) + "\n"
                                  for i, s in enumerate(pool[:size])), encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.bench_memory", "--model", args.model,
                   "--worker", str(source), str(work / f"out-{size}.jsonl")]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results[size] = json.loads(output.strip().splitlines()[-1])
    base = results[args.sizes[0]]["peak_mb"]
    print(f"\nmodel: {args.model}\n")
    print("| sentences | seconds | sentences/s | peak memory MB | vs smallest |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size, r in results.items():
        print(f"| {size:,} | {r['seconds']:.1f} | {r['count'] / r['seconds']:.0f} | {r['peak_mb']:.0f} | "
              f"{r['peak_mb'] / base:.2f}x |")


if __name__ == "__main__":
    main()
