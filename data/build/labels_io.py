"""Read the sampled candidates, the annotation passes (TSV files) and the adjudication log."""

import json
from pathlib import Path

from model.labels import check_label

ANNOTATION = Path(__file__).resolve().parents[1] / "annotation"
CANDIDATE_FILES = ("candidates.jsonl", "candidates-r2.jsonl", "candidates-r3.jsonl")
"""Sampling rounds, in order: round 1 drew every split, round 2 more train, round 3 more dev."""


def read_candidates(rounds: int = len(CANDIDATE_FILES)) -> list[dict]:
    """The sampled sentences of the first `rounds` sampling rounds (the files that exist)."""
    rows: list[dict] = []
    for name in CANDIDATE_FILES[:rounds]:
        path = ANNOTATION / name
        if path.is_file():
            rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


ANT_CANDIDATES = "candidates-ant.jsonl"
RESPLIT_LOG = "resplit.jsonl"


def read_ant_candidates() -> list[dict]:
    """The sampled ANT sentences (corpus v2)."""
    return _read_jsonl(ANNOTATION / ANT_CANDIDATES)


def read_resplit() -> dict:
    """The v2 splitter's moves of v1 rows: {'moves': [...], 'relabel': [new ids to label again]}."""
    moves = _read_jsonl(ANNOTATION / RESPLIT_LOG)
    relabel = [new_id for move in moves if move["status"] in ("split", "joined") for new_id in move["new_ids"]]
    return {"moves": moves, "relabel": relabel}


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_pass(name: str) -> dict[str, tuple[str, str]]:
    """id -> (label, note) for every TSV file of an annotation pass."""
    labels: dict[str, tuple[str, str]] = {}
    for path in sorted((ANNOTATION / name).glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("\t")
            try:
                labels[parts[0].strip()] = (check_label(parts[1].strip()), parts[2].strip() if len(parts) > 2 else "")
            except (IndexError, ValueError) as error:
                raise ValueError(f"{path}:{number}: {error}") from None
    return labels


def read_adjudication() -> dict[str, dict]:
    """id -> {'label', 'pass1', 'pass2', 'why'}: adjudicated disagreements and lead reviews."""
    path = ANNOTATION / "adjudication.jsonl"
    if not path.is_file():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {row["id"]: row for row in rows}
