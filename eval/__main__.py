"""Evaluate a tagger, or compare reports.

    python -m eval --model DIR --data data/test.jsonl --out reports/NAME
    python -m eval compare reports/A reports/B [...]
"""

import argparse
import sys
from pathlib import Path

from model.cli import INPUT_ERRORS, positive_int
from model.data import DataError, read_examples

from eval.bootstrap import RESAMPLES
from eval.report import build_report, write_report

SEED_ARTICLE = Path("seeds/seed_article.jsonl")
TEST_ARTICLES = Path("data/test_articles.jsonl")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m eval", description="Evaluate a tagger on labelled data.")
    parser.add_argument("--model", required=True, help="a saved tagger folder of any kind (or hub name)")
    parser.add_argument("--data", required=True, help="labelled JSONL in the spec's format")
    parser.add_argument("--out", required=True, help="report folder to write")
    parser.add_argument("--seed-article", default=str(SEED_ARTICLE), help="out-of-domain check ('' to skip)")
    parser.add_argument("--articles", default=str(TEST_ARTICLES), help="whole labelled articles ('' to skip)")
    parser.add_argument("--resamples", type=positive_int, default=RESAMPLES, help="bootstrap resamples")
    parser.add_argument("--batch-size", type=positive_int, default=None, help="default: 32 on CPU, 128 on GPU")
    parser.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: CUDA when present)")
    return parser.parse_args(argv)


def optional_examples(path: str):
    """Examples of an optional extra file, or None when it is not given or does not exist."""
    return read_examples(path) if path and Path(path).is_file() else None


def run(model: str, data: str, out: str, seed_article: str = str(SEED_ARTICLE), articles: str = str(TEST_ARTICLES),
        resamples: int = RESAMPLES, batch_size: int | None = None, device: str | None = None) -> Path:
    """Evaluate `model` on `data` (plus the seed article and whole articles) and write the report `out`."""
    from model.tagger import Tagger

    if Path(out).exists() and not Path(out).is_dir():
        raise FileExistsError(f"--out {out} is a file; a report is a folder")
    examples = read_examples(data)
    tagger = Tagger.from_pretrained(model, device=device)
    report, rows = build_report(
        tagger, examples, {"model": str(model), "data": str(data), "kind": tagger.settings.kind},
        seed=optional_examples(seed_article), articles=optional_examples(articles),
        temperature=tagger.settings.temperature, resamples=resamples, batch_size=batch_size,
    )
    return write_report(out, report, rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["compare"]:
        from eval.compare import main as compare_main

        return compare_main(argv[1:])
    args = parse_args(argv)
    try:
        out = run(args.model, args.data, args.out, args.seed_article, args.articles, args.resamples,
                  args.batch_size, args.device)
    except (*INPUT_ERRORS, DataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print((out / "report.md").read_text(encoding="utf-8").split("## Per label")[0].strip())
    print(f"\nreport: {out / 'report.md'} and {out / 'report.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
