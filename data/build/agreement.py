"""Inter-annotator agreement between the two passes, and the list of disagreements to adjudicate.

    python -m data.build.agreement

Prints Cohen's kappa overall, per label (one label against the rest), on the test split
and on sampling round 2; writes data/annotation/agreement.json and data/annotation/disagreements.jsonl.
"""

import json

from sklearn.metrics import cohen_kappa_score

from data.build.labels_io import ANNOTATION, read_candidates, read_pass
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
    report = {name: kappas([pass1[i][0] for i in ids], [pass2[i][0] for i in ids]) for name, ids in samples.items() if ids}
    (ANNOTATION / "agreement.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    with (ANNOTATION / "disagreements.jsonl").open("w", encoding="utf-8") as out:
        for i in both:
            if pass1[i][0] != pass2[i][0]:
                row = {"id": i, "pass1": pass1[i][0], "note1": pass1[i][1], "pass2": pass2[i][0], "note2": pass2[i][1]}
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    for name, r in report.items():
        per = ", ".join(f"{label} {v['kappa']:.3f}" for label, v in r["per_label"].items())
        print(f"{name}: n={r['n']} agreement={r['observed_agreement']:.3f} kappa={r['kappa']:.3f} ({per})")


if __name__ == "__main__":
    main()
