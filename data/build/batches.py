"""Cut candidates into annotation batches that show each sentence with its article context.

    PYTHONPATH=. python3 -m data.build.batches pass1   # every candidate, ~250 a batch
    PYTHONPATH=. python3 -m data.build.batches pass2   # the double-annotation sample
    PYTHONPATH=. python3 -m data.build.batches pass1 --round 2   # round 2, numbered after round 1
    PYTHONPATH=. python3 -m data.build.batches pass2 --round 2   # its double-annotation sample
    PYTHONPATH=. python3 -m data.build.batches pass1 --round 3   # round 3 (dev), after round 2
    PYTHONPATH=. python3 -m data.build.batches ant1      # every ANT candidate, ~300 a batch
    PYTHONPATH=. python3 -m data.build.batches ant2      # ANT's double-annotation sample (test)
    PYTHONPATH=. python3 -m data.build.batches resplit   # sentences the v2 splitter changed

Batch texts hold corpus excerpts, so they go to data/annotation/work/ (git-ignored)
and are rebuilt from the corpus; the manifests (which ids each batch holds) and the
returned labels are committed.
"""

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from data.build.corpus import parse_sentence_id, read_articles
from data.build.labels_io import read_ant_candidates, read_candidates, read_resplit

ANNOTATION = Path(__file__).resolve().parents[1] / "annotation"
WORK = ANNOTATION / "work"
BATCH_SIZE = 250
CONTEXT = 2
SEED = 7
PASS2_SIZES = {"test": 340, "dev": 100, "train": 220}
"""Second-pass sample per split: whole windows drawn at random until each size is met."""
PASS2_SIZES_ROUND2 = {"train": 240}
PASS2_SIZES_ANT = {"test": 420}
ANT_BATCH_SIZE = 300


def pass2_ids(candidates: list[dict], sizes: dict[str, int] = PASS2_SIZES) -> list[str]:
    """A random sample of articles' candidate windows, drawn per split, for double annotation."""
    rng = random.Random(SEED)
    by_doc: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in candidates:
        split = "test" if row["split"] == "test_articles" else row["split"]
        by_doc[split, row["doc_id"]].append(row["id"])
    chosen: list[str] = []
    for split, size in sizes.items():
        docs = sorted(doc for s, doc in by_doc if s == split)
        rng.shuffle(docs)
        taken = 0
        for doc in docs:
            if taken >= size:
                break
            ids = by_doc[split, doc]
            if len(ids) > 6:  # keep whole test articles out: they would eat the budget
                continue
            chosen += ids
            taken += len(ids)
    return chosen


def write_batches(name: str, ids: list[str], after: dict[str, list[str]] | None = None,
                  size: int = BATCH_SIZE) -> dict[str, list[str]]:
    """Group `ids` by article into batches of about BATCH_SIZE and write their texts.

    With `after` (an earlier round's manifest), numbering continues after its batches and
    the manifest written holds both.
    """
    by_doc: dict[str, list[int]] = defaultdict(list)
    for sentence_id in ids:
        doc_id, position = parse_sentence_id(sentence_id)
        by_doc[doc_id].append(position)
    articles = read_articles(by_doc)
    docs = sorted(by_doc)
    random.Random(SEED).shuffle(docs)  # mix splits, papers and strata in every batch
    manifest: dict[str, list[str]] = dict(after or {})
    current: list[str] = []
    for doc in docs + [None]:
        if doc is None or (current and sum(len(by_doc[d]) for d in current) + len(by_doc[doc]) > size):
            batch = f"{name}-{len(manifest) + 1:02d}"
            manifest[batch] = [articles[d].sentence_id(p) for d in current for p in sorted(by_doc[d])]
            _write_text(batch, [(articles[d], sorted(by_doc[d])) for d in current])
            current = []
        if doc is not None:
            current.append(doc)
    with (ANNOTATION / f"{name}_batches.json").open("w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return manifest


def _write_text(batch: str, items) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    lines = [f"# Batch {batch}: label every line marked >> (one label each). Other lines are context.", ""]
    for article, positions in items:
        lines.append(f"=== ARTICLE {article.doc_id} | newspaper: {article.source}")
        wanted = set(positions)
        shown = set(range(max(0, min(positions) - CONTEXT), min(len(article.sentences), max(positions) + CONTEXT + 1)))
        shown.add(0)
        previous = -1
        for p in sorted(shown):
            if p > previous + 1:
                lines.append("      ...")
            text = article.sentences[p]
            tag = "TITLE: " if p == 0 else ""
            if p in wanted:
                lines.append(f">> {article.sentence_id(p)} | {tag}{text}")
            else:
                lines.append(f"   [context {p:02d}] {tag}{text}")
            previous = p
        lines.append("")
    (WORK / f"{batch}.txt").write_text("\n".join(lines), encoding="utf-8")


def main(which: str, sampling_round: int = 1) -> None:
    if which in ("ant1", "ant2", "resplit"):
        return _write_v2(which)
    earlier_rows = read_candidates(rounds=sampling_round - 1)
    this_round = read_candidates(rounds=sampling_round)[len(earlier_rows):]
    if sampling_round == 1:
        ids = [row["id"] for row in this_round] if which == "pass1" else pass2_ids(this_round)
        manifest = write_batches(which, ids)
    else:
        earlier_ids = {row["id"] for row in earlier_rows}
        earlier = json.loads((ANNOTATION / f"{which}_batches.json").read_text(encoding="utf-8"))
        earlier = {batch: ids for batch, ids in earlier.items() if ids[0] in earlier_ids}
        ids = [row["id"] for row in this_round] if which == "pass1" else pass2_ids(this_round, PASS2_SIZES_ROUND2)
        manifest = write_batches(which, ids, after=earlier)
    for batch, batch_ids in manifest.items():
        print(batch, len(batch_ids))


def _write_v2(which: str) -> None:
    """Corpus v2's batches: ANT's first and second pass, and the re-split SaudiNewsNet sentences."""
    if which == "resplit":
        manifest = write_batches(which, read_resplit()["relabel"])
    else:
        rows = read_ant_candidates()
        ids = [row["id"] for row in rows] if which == "ant1" else pass2_ids(rows, PASS2_SIZES_ANT)
        manifest = write_batches(which, ids, size=ANT_BATCH_SIZE)
    for batch, batch_ids in manifest.items():
        print(batch, len(batch_ids))


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0] if args else "pass1", int(args[2]) if args[1:2] == ["--round"] else 1)
