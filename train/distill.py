"""Distillation's data: the teacher's probabilities over gold train rows and unlabelled training-period text.

The rows to tag (train/unlabelled.py draws the unlabelled ones) are written once to the
run folder (unlabelled.jsonl), then tagged by the teacher through model.tag_file, which
shows a progress bar and resumes an interrupted run (teacher.jsonl). Both files hold raw
outlet text: they stay in the run folder, never in git.
"""

import json
from itertools import chain
from pathlib import Path

from model.data import Example, read_examples
from model.io import write_jsonl
from model.labels import LABEL2ID, LABELS
from model.tag_file import PREDICTION_FIELD, tag_file
from train.config import RunConfig
from train.unlabelled import unlabelled_sentences


def teacher_targets(config: RunConfig, train: list[Example], run_dir: Path) -> list[dict]:
    """One row per gold train example and per unlabelled sentence: text, gold label id (or None), teacher probabilities."""
    to_tag, tagged = run_dir / "unlabelled.jsonl", run_dir / "teacher.jsonl"
    if not to_tag.is_file():
        held_out = [e for path in (config.data.dev, config.data.test, config.data.articles) if path
                    for e in read_examples(path)]
        gold = [{"id": e.id, "text": e.text, "gold": e.label} for e in train]
        extra = unlabelled_sentences(config.distill.corpora, held_out, config.distill.max_sentences, config.distill.seed)
        write_jsonl(to_tag, chain(gold, ({**row, "gold": None} for row in extra)))  # streamed: caps can be millions
    if not tagged.is_file():
        tag_file(str(to_tag), config.distill.teacher, str(tagged))
    rows = []
    for line in tagged.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        probabilities = item[PREDICTION_FIELD]["probabilities"]
        rows.append({"text": item["text"], "gold": None if item["gold"] is None else LABEL2ID[item["gold"]],
                     "teacher": [probabilities[label] for label in LABELS]})
    return rows
