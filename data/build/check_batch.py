"""Check a returned annotation file against its batch manifest.

    python data/build/check_batch.py pass1 pass1-03

Lists every problem (file:line) and exits non-zero: missing or extra ids, unknown
labels, duplicate lines.
"""

import json
import sys
from pathlib import Path

from model.labels import LABELS

ANNOTATION = Path(__file__).resolve().parents[1] / "annotation"


def check(pass_name: str, batch: str) -> list[str]:
    manifest = json.loads((ANNOTATION / f"{pass_name}_batches.json").read_text(encoding="utf-8"))
    expected = manifest[batch]
    path = ANNOTATION / pass_name / f"{batch}.tsv"
    if not path.exists():
        return [f"{path}: missing"]
    problems, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            problems.append(f"{path}:{n}: expected id<TAB>label<TAB>note, got {line[:60]!r}")
            continue
        sentence_id, label = parts[0].strip(), parts[1].strip()
        if label not in LABELS:
            problems.append(f"{path}:{n}: unknown label {label!r}")
        if sentence_id in seen:
            problems.append(f"{path}:{n}: duplicate id {sentence_id}")
        if sentence_id not in expected:
            problems.append(f"{path}:{n}: id {sentence_id} is not in batch {batch}")
        seen.add(sentence_id)
    problems += [f"{path}: no label for {i}" for i in expected if i not in seen]
    return problems


if __name__ == "__main__":
    found = check(sys.argv[1], sys.argv[2])
    print("\n".join(found) or f"{sys.argv[2]}: complete, {len(found)} problems")
    sys.exit(1 if found else 0)
