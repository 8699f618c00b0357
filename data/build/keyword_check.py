"""How well does a keyword-only labeller do against the gold labels? (If near perfect, sampling was too easy.)

    python -m data.build.keyword_check

Applies model.cues.keyword_labels (the spec's procedure on cue words alone) to every
split and prints accuracy and macro-F1 per split, plus per-label F1.
"""

from pathlib import Path

from eval.metrics import classification_metrics
from model.cues import keyword_labels
from model.data import read_examples
from model.labels import LABELS

DATA = Path(__file__).resolve().parents[1]


def main() -> None:
    print("| split | n | accuracy | macro-F1 | " + " | ".join(f"F1 {label}" for label in LABELS) + " |")
    print("| --- | ---: | ---: | ---: |" + " ---: |" * len(LABELS))
    everything_gold, everything_predicted = [], []
    for split in ("train", "dev", "test", "test_articles"):
        examples = read_examples(DATA / f"{split}.jsonl")
        gold = [e.label for e in examples]
        predicted = keyword_labels([e.text for e in examples])
        everything_gold += gold
        everything_predicted += predicted
        _row(split, gold, predicted)
    _row("all", everything_gold, everything_predicted)


def _row(name: str, gold: list[str], predicted: list[str]) -> None:
    m = classification_metrics(gold, predicted)
    per_label = " | ".join(f"{m['per_label'][label]['f1']:.3f}" for label in LABELS)
    print(f"| {name} | {len(gold)} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {per_label} |")


if __name__ == "__main__":
    main()
