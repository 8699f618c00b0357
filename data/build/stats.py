"""Counts per corpus, split and label, as Markdown tables for data/DATASHEET.md.

    python -m data.build.stats
"""

from collections import Counter
from pathlib import Path

from data.build.labels_io import read_ant_candidates, read_candidates
from model.data import CORPORA, Example, read_examples
from model.labels import LABELS

DATA = Path(__file__).resolve().parents[1]
SPLITS = ("train", "dev", "test", "test_articles")


def main() -> None:
    examples = {split: read_examples(DATA / f"{split}.jsonl") for split in SPLITS}
    print("| corpus | split | sentences | articles | outlets | " + " | ".join(LABELS) + " |")
    print("| --- | --- | ---: | ---: | ---: |" + " ---: |" * len(LABELS))
    for corpus in (*CORPORA, None):
        total: Counter = Counter()
        for split in SPLITS:
            rows = [e for e in examples[split] if corpus is None or e.corpus == corpus]
            total.update(e.label for e in rows)
            _row(corpus or "both", split, rows)
        print(f"| {corpus or 'both'} | all | {sum(total.values())} | | | "
              + " | ".join(str(total[label]) for label in LABELS) + " |")
    for corpus in CORPORA:
        sources = Counter(e.source for split in SPLITS for e in examples[split] if e.corpus == corpus)
        print(f"\nSentences per outlet ({corpus}): " + ", ".join(f"{s} {n}" for s, n in sources.most_common()))
    for corpus, rows in (("saudinewsnet", read_candidates()), ("ant", read_ant_candidates())):
        reasons = Counter(row["reason"].split(":")[0] for row in rows)
        print(f"Why each {corpus} sentence was sampled: " + ", ".join(f"{r} {n}" for r, n in reasons.most_common()))


def _row(corpus: str, split: str, rows: list[Example]) -> None:
    counts = Counter(e.label for e in rows)
    print(f"| {corpus} | {split} | {len(rows)} | {len({e.doc_id for e in rows})} | {len({e.source for e in rows})} | "
          + " | ".join(str(counts[label]) for label in LABELS) + " |")


if __name__ == "__main__":
    main()
