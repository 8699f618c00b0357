"""Carry release v1's labels over to the sentence ids of the v2 splitter, by text.

    PYTHONPATH=. python3 -m data.build.resplit   # once, on the v1 split files; writes data/annotation/resplit.jsonl

The v2 splitter (model/splitter.py) also ends a sentence at a full stop with no space
before an Arabic word, and at a *** separator. That renumbers later sentences of an
article and splits some v1 rows in two or more. For every v1 row the log records its
v1 id, its v2 id(s) and what happened:

- kept: same text, same id;
- renumbered: same text at another position (an earlier sentence of the article split);
- trimmed: the same words without a leading or trailing run of punctuation («..»);
  the label carries over;
- split: the v1 text is now several sentences; each goes back to the annotators
  (pass `resplit`), since a merged row's one label does not hold for its parts. A part
  whose normalised text is already labelled elsewhere is left out (`dropped`), so no
  text is in two rows;
- joined: the v1 text was cut too early (a spelled acronym, «إم . آي») and is now part
  of a longer sentence, labelled again; the first v1 row of a join carries the new id,
  the others are `merged_into` it.

The assembled splits read this log, so the v1 annotation files keep their v1 ids.
"""

import json
from collections import Counter, defaultdict

from data.build.corpus import Article, parse_sentence_id, read_corpus
from data.build.labels_io import ANNOTATION, RESPLIT_LOG
from model.text import normalize_for_matching

V1_FILES = ("train", "dev", "test", "test_articles")


def main() -> None:
    rows = _read_v1()
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc_id"]].append(row)
    articles = read_corpus(sorted({row["doc_id"].split("-", 1)[1][:10] for row in rows}))
    moves = []
    seen = {normalize_for_matching(row["text"]) for row in rows}
    joined: set[str] = set()
    for doc_id in sorted(by_doc):
        start = 0
        for row in sorted(by_doc[doc_id], key=lambda r: r["position"]):
            item = move(row, articles[doc_id], start)
            if item["new_ids"]:
                start = parse_sentence_id(item["new_ids"][-1])[1]
            if item["status"] == "joined" and item["new_ids"][0] in joined:
                item["merged_into"], item["new_ids"] = item["new_ids"][0], []
            joined.update(item["new_ids"] if item["status"] == "joined" else [])
            if item["status"] in ("split", "joined"):
                _drop_repeated_parts(item, articles[doc_id], seen)
            moves.append(item)
    with (ANNOTATION / RESPLIT_LOG).open("w", encoding="utf-8") as out:
        for item in moves:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    counts = Counter(m["status"] for m in moves)
    print(dict(counts), "new sentences to label:", sum(len(m["new_ids"]) for m in moves if m["status"] in ("split", "joined")))


def move(row: dict, article: Article, start: int = 0) -> dict:
    """Where one v1 row's text is among the article's v2 sentences (a join is looked for from `start` on,
    the v2 position of the row before it)."""
    text, old = row["text"], row["position"]
    same = [p for p, sentence in enumerate(article.sentences) if sentence == text]
    if same:
        new = min(same, key=lambda p: (abs(p - old), p))
        status = "kept" if new == old else "renumbered"
        return {"old_id": row["id"], "new_ids": [article.sentence_id(new)], "status": status}
    squeezed = _letters(text)
    for first in range(len(article.sentences)):
        joined = ""
        for end in range(first, len(article.sentences)):
            joined += _letters(article.sentences[end])
            if joined == squeezed:
                ids = [article.sentence_id(p) for p in range(first, end + 1)]
                return {"old_id": row["id"], "new_ids": ids, "status": "split" if end > first else "trimmed"}
            if not squeezed.startswith(joined):
                break
    for position in range(start, len(article.sentences)):
        if squeezed and squeezed in _letters(article.sentences[position]):
            return {"old_id": row["id"], "new_ids": [article.sentence_id(position)], "status": "joined"}
    raise ValueError(f"{row['id']}: its v1 text is not among the v2 sentences of {article.doc_id}")


def _drop_repeated_parts(item: dict, article: Article, seen: set[str]) -> None:
    """Leave out a split part whose text is already labelled elsewhere (wire tails such as «وفقا لرويترز.»)."""
    kept, dropped = [], []
    for new_id in item["new_ids"]:
        key = normalize_for_matching(article.sentences[parse_sentence_id(new_id)[1]])
        (dropped if key in seen or not key else kept).append(new_id)
        seen.add(key)
    item["new_ids"] = kept
    if dropped:
        item["dropped"] = dropped


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _read_v1() -> list[dict]:
    rows = []
    for name in V1_FILES:
        path = ANNOTATION.parent / f"{name}.jsonl"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            row = json.loads(line)
            if "corpus" in row:
                raise SystemExit(f"{path}:{number}: already a v2 file (has 'corpus'); run this on release v1's files")
            rows.append(row)
    return rows


if __name__ == "__main__":
    main()
