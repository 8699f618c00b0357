"""Inter-annotator agreement between the two passes, and the list of disagreements to adjudicate.

    python -m data.build.agreement        # SaudiNewsNet (release v1's passes pass1, pass2)
    python -m data.build.agreement ant    # ANT (corpus v2's passes ant1, ant2: a test sample)

Prints Cohen's kappa overall, per label (one label against the rest), on the test split
and on sampling round 2; writes data/annotation/agreement.json and data/annotation/disagreements.jsonl
(for ANT: agreement-ant.json and disagreements-ant.jsonl).
"""

import sys

import json

from sklearn.metrics import cohen_kappa_score

from data.build.labels_io import ANNOTATION, read_ant_candidates, read_candidates, read_pass
from model.labels import LABELS


def kappas(first: list[str], second: list[str]) -> dict:
    """Cohen's kappa over all labels and for each label against the rest, with raw agreement."""
    result = {
        "n": len(first),
        "observed_agreement": sum(a == b for a, b in zip(first, second)) / len(first),
        "kappa": cohen_kappa_score(first, second),
        "per_label": {},
    }
    for label in LABELS:
        a = [x == label for x in first]
        b = [x == label for x in second]
        result["per_label"][label] = {"kappa": cohen_kappa_score(a, b), "pass1": sum(a), "pass2": sum(b)}
    return result


def main() -> None:
    if sys.argv[1:] == ["ant"]:
        return main_ant()
    pass1, pass2 = read_pass("pass1"), read_pass("pass2")
    candidates = read_candidates()
    split_of = {row["id"]: row["split"] for row in candidates}
    round2 = {row["id"] for row in read_candidates(rounds=2)[len(read_candidates(rounds=1)):]}
    both = [i for i in pass2 if i in pass1]
    samples = {
        "all": both,
        "test": [i for i in both if split_of[i] in ("test", "test_articles")],
        "round2": [i for i in both if i in round2],
    }
    write_agreement(pass1, pass2, samples, "")


def main_ant() -> None:
    """Agreement of ANT's two passes; the second pass labelled a sample of test windows."""
    pass1, pass2 = read_pass("ant1"), read_pass("ant2")
    split_of = {row["id"]: row["split"] for row in read_ant_candidates()}
    both = [i for i in pass2 if i in pass1]
    missing = [i for i in pass2 if i not in pass1]
    if missing:
        print(f"{len(missing)} second-pass sentences have no first-pass label yet")
    samples = {"all": both, "test": [i for i in both if split_of[i] in ("test", "test_articles")]}
    write_agreement(pass1, pass2, samples, "-ant")


def write_agreement(pass1: dict, pass2: dict, samples: dict[str, list[str]], suffix: str) -> None:
    both = samples["all"]
    report = {name: kappas([pass1[i][0] for i in ids], [pass2[i][0] for i in ids]) for name, ids in samples.items() if ids}
    (ANNOTATION / f"agreement{suffix}.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    with (ANNOTATION / f"disagreements{suffix}.jsonl").open("w", encoding="utf-8") as out:
        for i in both:
            if pass1[i][0] != pass2[i][0]:
                row = {"id": i, "pass1": pass1[i][0], "note1": pass1[i][1], "pass2": pass2[i][0], "note2": pass2[i][1]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name, r in report.items():
        per = ", ".join(f"{label} {v['kappa']:.3f}" for label, v in r["per_label"].items())
        print(f"{name}: n={r['n']} agreement={r['observed_agreement']:.3f} kappa={r['kappa']:.3f} ({per})")


if __name__ == "__main__":
    main()
