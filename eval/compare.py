"""Compare evaluation reports made on the same test data, with paired bootstrap intervals.

    python -m eval compare reports/A reports/B [reports/C ...] [--corpus ant] [--out table.md]

The first report is the reference: every other model gets its delta against it for each
score, a 95% interval and a p-value from a paired bootstrap that resamples whole articles
(the same resamples for every model). Reports made on different data (dev against test) are refused.
--corpus compares on one corpus's rows of the test file only (saudinewsnet or ant).
"""

import argparse
import json
import sys
from pathlib import Path

from model.cli import positive_int
from model.data import CORPORA
from model.io import write_text
from model.labels import LABELS

from eval.bootstrap import RESAMPLES, SEED, confidence_intervals, doc_confusions, paired_comparison

SCORES = ["accuracy", "macro_f1", *[f"f1_{label}" for label in LABELS]]


class ReportMismatch(ValueError):
    """Reports that cannot be compared item by item."""


def load_report(folder: str | Path) -> tuple[dict, list[dict]]:
    """A report's metrics.json and its prediction rows."""
    folder = Path(folder)
    for name in ("metrics.json", "predictions.jsonl"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder} is not an evaluation report: {name} is missing")
    try:
        metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
        rows = [json.loads(line) for line in (folder / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
        if not isinstance(metrics, dict) or not isinstance(metrics.get("meta", {}).get("data_hash"), str):
            raise ValueError("metrics.json has no meta.data_hash")
        if not rows or any(not {"id", "doc_id", "gold", "label"} <= set(r) for r in rows):
            raise ValueError("predictions.jsonl lacks id, doc_id, gold or label")
    except (ValueError, AttributeError, TypeError) as error:
        raise ReportMismatch(f"{folder}: not a readable evaluation report ({error}); "
                             "make it again with python -m eval") from None
    return metrics, rows


def check_same_data(reports: dict[str, tuple[dict, list[dict]]]) -> None:
    """Refuse reports whose evaluation data differ (hash of the sorted id, text, label rows)."""
    (first, (metrics, _)), *others = reports.items()
    for name, (other, _) in others:
        if other["meta"]["data_hash"] != metrics["meta"]["data_hash"]:
            raise ReportMismatch(
                f"{name} was evaluated on different data than {first} "
                f"({other['meta'].get('data')} hash {other['meta']['data_hash'][:12]} vs "
                f"{metrics['meta'].get('data')} hash {metrics['meta']['data_hash'][:12]}); "
                "compare only reports made on the same file (dev with dev, test with test)"
            )


def compare(folders: list[str], resamples: int = RESAMPLES, seed: int = SEED, corpus: str | None = None) -> dict:
    """Per-model intervals and, for each model after the first, paired deltas against the first.

    With `corpus`, only the rows of that corpus count (reports made before rows carried
    a corpus are refused, since they cannot be split).
    """
    if len(folders) < 2:
        raise ReportMismatch("compare needs at least two reports")
    reports = {str(folder): load_report(folder) for folder in folders}
    check_same_data(reports)
    if corpus is not None:
        reports = {name: (metrics, _rows_of(name, rows, corpus)) for name, (metrics, rows) in reports.items()}
    counts = {}
    for name, (_, rows) in reports.items():
        rows = sorted(rows, key=lambda r: r["id"])
        _, counts[name] = doc_confusions([r["doc_id"] for r in rows], [r["gold"] for r in rows], [r["label"] for r in rows])
    names = list(reports)
    reference = names[0]
    return {
        "reference": reference,
        "corpus": corpus,
        "n": len(reports[reference][1]),
        "resamples": resamples,
        "models": {name: confidence_intervals(counts[name], resamples, seed) for name in names},
        "deltas": {name: paired_comparison(counts[reference], counts[name], resamples, seed) for name in names[1:]},
    }


def _rows_of(name: str, rows: list[dict], corpus: str) -> list[dict]:
    kept = [r for r in rows if r.get("corpus") == corpus]
    if not kept:
        found = sorted({r.get("corpus") or "(none)" for r in rows})
        raise ReportMismatch(f"{name}: no rows of corpus {corpus!r} (its corpora: {', '.join(found)}); "
                             "reports made before rows carried a corpus must be made again")
    return kept


def short_names(names: list[str]) -> dict[str, str]:
    """Each report path cut to its shortest trailing part that still tells the reports apart."""
    parts = {name: Path(name).parts or (name,) for name in names}
    for depth in range(1, max(len(p) for p in parts.values()) + 1):
        short = {name: "/".join(p[-depth:]) for name, p in parts.items()}
        if len(set(short.values())) == len(short):
            return short
    return {name: name for name in names}


def render(result: dict) -> str:
    """The comparison as a Markdown table."""
    names = list(result["models"])
    short = short_names(names)
    header = ["score", *[short[n] for n in names], *[f"{short[n]} − {short[result['reference']]}" for n in names[1:]]]
    on = f" of corpus {result['corpus']}" if result.get("corpus") else ""
    lines = [
        f"Paired bootstrap over articles: {result['n']} sentences{on}, {result['resamples']} resamples; "
        "values with 95% intervals, deltas with 95% intervals and p-values.",
        "",
        "| " + " | ".join(header) + " |",
        "| --- |" + " ---: |" * (len(header) - 1),
    ]
    for score in SCORES:
        cells = [score]
        for name in names:
            m = result["models"][name][score]
            cells.append(f"{m['value']:.3f} ({m['low']:.3f}–{m['high']:.3f})")
        for name in names[1:]:
            d = result["deltas"][name][score]
            cells.append(f"{d['delta']:+.3f} ({d['low']:+.3f} to {d['high']:+.3f}), p={d['p_value']:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", help="report folders; the first is the reference")
    parser.add_argument("--resamples", type=positive_int, default=RESAMPLES)
    parser.add_argument("--corpus", choices=CORPORA, help="compare on this corpus's rows only")
    parser.add_argument("--out", help="also write the table (Markdown) and a JSON beside it")
    args = parser.parse_args(argv)
    try:
        result = compare(args.reports, args.resamples, corpus=args.corpus)
    except (ReportMismatch, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    table = render(result)
    print(table)
    if args.out:
        write_text(args.out, table)
        write_text(Path(args.out).with_suffix(".json"), json.dumps(result, indent=2) + "\n")
    return 0
