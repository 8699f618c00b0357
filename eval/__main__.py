"""python -m eval --model DIR --data FILE --out DIR: evaluate a tagger on a labelled file."""

import argparse
import sys
from pathlib import Path

from model.data import DataError, read_examples

from eval.report import data_hash, evaluate, write_report


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__)
    parser.add_argument("--model", required=True, help="a trained tagger folder (or hub name)")
    parser.add_argument("--data", required=True, help="labelled JSONL in the spec's format")
    parser.add_argument("--out", required=True, help="report folder to write")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA when present)")
    return parser.parse_args(argv)


def run(model: str, data: str, out: str, batch_size: int = 32, device: str | None = None) -> Path:
    """Evaluate `model` on `data` and write the report folder `out`."""
    from model.tagger import Tagger

    examples = read_examples(data)
    tagger = Tagger.from_pretrained(model, device=device)
    metrics, rows = evaluate(tagger, examples, batch_size=batch_size)
    meta = {"model": str(model), "data": str(data), "n": len(examples), "data_hash": data_hash(examples)}
    return write_report(out, metrics, rows, meta)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        out = run(args.model, args.data, args.out, args.batch_size, args.device)
    except (DataError, FileNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print((out / "report.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
