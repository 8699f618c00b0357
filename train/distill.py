"""Distillation's data: the teacher's probabilities over gold train rows and unlabelled training-period text.

The rows to tag (train/unlabelled.py draws the unlabelled ones) are written once
(unlabelled.jsonl), then tagged by the teacher through model.tag_file, which shows a
progress bar and resumes an interrupted run (teacher.jsonl). Tagging is the slow part, so
both files live beside the run folders (runs/teacher-outputs/KEY/) where every student of
the same teacher on the same text reuses them; KEY covers the teacher folder's bytes, the
gold rows, the held-out files, the corpora, the cap and the seed (and the proposer and its pool,
when one chooses the sentences), so a retrained teacher or changed data gets a fresh pass; a
larger cap starts from the pass of a smaller one. With distill.proposer, a fast tagger labels a
larger pool first and the cap is spread over its labels (proposed.json counts them). With
distill.vector_weight, the teacher's [CLS] vectors of the same rows join them
(vectors-NNNNN.safetensors, one file per VECTOR_CHUNK rows). The two JSONL files hold raw
outlet text: they stay under runs/, never in git.
"""

import hashlib
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import numpy as np
from safetensors.numpy import load, save
from tqdm import tqdm

from model.data import Example
from model.io import write_bytes, write_json, write_jsonl
from model.labels import LABEL2ID, LABELS
from model.tag_file import (PREDICTION_FIELD, folder_fingerprint, output_lock, partial_paths, run_record,
                             tag_file)
from train.config import RunConfig
from train.run_dir import shared_folder
from train.unlabelled import balanced_by_label, held_out_examples, held_out_hashes, unlabelled_sentences


TEACHER_OUTPUTS = "teacher-outputs"
"""The folder, beside the run folders, that holds the teacher's passes."""
VECTOR_CHUNK = 4096
"""Rows per file of the teacher's [CLS] vectors: an interrupted pass resumes at the first missing file."""
PROPOSER_STEP = 4096
"""Sentences the proposer labels between two updates of its progress bar."""


def teacher_outputs_dir(config: RunConfig, train: list[Example]) -> Path:
    """Where the teacher's pass for this teacher, gold set, held-out data, corpora, cap and seed lives."""
    source = {
        "teacher": str(config.distill.teacher),
        "teacher_fingerprint": folder_fingerprint(Path(config.distill.teacher)),
        "gold": hashlib.sha256(json.dumps([[e.id, e.text, e.label] for e in train], ensure_ascii=False)
                               .encode()).hexdigest(),
        "held_out": held_out_hashes(config),
        "corpora": [str(Path(folder).resolve()) for folder in config.distill.corpora],
        "max_sentences": config.distill.max_sentences,
        "seed": config.distill.seed,
    }
    if config.distill.proposer:   # only then: the keys of plain passes stay as they were
        source.update(proposer=str(config.distill.proposer),
                      proposer_fingerprint=folder_fingerprint(Path(config.distill.proposer)),
                      pool_sentences=config.distill.pool_sentences)
    return shared_folder(config, TEACHER_OUTPUTS, source)


def teacher_targets(config: RunConfig, train: list[Example]) -> list[dict]:
    """One row per gold train example and per unlabelled sentence: text, gold label id (or None), teacher
    probabilities, and with distill.vector_weight the teacher's [CLS] vector (standardised per dimension, so
    the loss term means the same for any teacher: 1 is the error of always predicting the mean)."""
    folder = teacher_outputs_dir(config, train)
    to_tag, tagged = folder / "unlabelled.jsonl", folder / "teacher.jsonl"
    if not to_tag.is_file():
        held_out = held_out_examples(config)
        gold = [{"id": e.id, "text": e.text, "gold": e.label} for e in train]
        distill = config.distill
        extra = unlabelled_sentences(distill.corpora, held_out, distill.pool_sentences or distill.max_sentences,
                                     distill.seed)
        if distill.proposer:
            extra = proposed(list(extra), distill.proposer, distill.max_sentences, folder / "proposed.json")
        write_jsonl(to_tag, chain(gold, ({**row, "gold": None} for row in extra)))  # streamed: caps can be millions
    if not tagged.is_file():
        start_from_a_smaller_pass(folder, config.distill.teacher)
        tag_file(str(to_tag), config.distill.teacher, str(tagged))
    rows = []
    for line in tagged.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        probabilities = item[PREDICTION_FIELD]["probabilities"]
        rows.append({"text": item["text"], "gold": None if item["gold"] is None else LABEL2ID[item["gold"]],
                     "teacher": [probabilities[label] for label in LABELS]})
    if config.distill.vector_weight:
        vectors = teacher_vectors(folder, config.distill.teacher, [row["text"] for row in rows]).astype(np.float32)
        vectors = (vectors - vectors.mean(axis=0)) / (vectors.std(axis=0) + 1e-6)  # every teacher on one scale
        for row, vector in zip(rows, vectors):
            row["teacher_vector"] = vector
    return rows


def proposed(pool: list[dict], proposer: str, cap: int, summary: Path) -> list[dict]:
    """The `cap` rows of the pool spread most evenly over the labels the proposer (a fast tagger) gives them.

    Its label counts in the pool and in the selection go to `summary`, for a reader of the pass."""
    from model.tagger import Tagger

    tagger, labels = Tagger.from_pretrained(proposer), []
    with tqdm(desc="proposer", unit=" sentences", total=len(pool), file=sys.stderr) as progress:
        for start in range(0, len(pool), PROPOSER_STEP):
            step = [row["text"] for row in pool[start : start + PROPOSER_STEP]]
            labels += [prediction.label for prediction in tagger.predict(step)]
            progress.update(len(step))
    chosen = balanced_by_label(labels, cap)
    write_json(summary, {"proposer": proposer, "pool": dict(Counter(labels)),
                         "chosen": dict(Counter(labels[index] for index in chosen))})
    return [pool[index] for index in chosen]


def start_from_a_smaller_pass(folder: Path, teacher: str) -> None:
    """Seed a new pass with the largest finished one of the same teacher and text under a smaller cap.

    Articles are drawn in the same seeded order whatever the cap (train/unlabelled.py), so that pass's rows
    are this one's first rows (checked byte for byte): its probabilities become this pass's partial output,
    which tag_file resumes after, and its full files of vectors are copied. Raising distill.max_sentences
    then costs only the new sentences.
    """
    if os.environ.get("WORLD_SIZE", "1") != "1":
        return   # a pass in parts: tag_file starts or resumes it as usual
    part, record = partial_paths(folder / "teacher.jsonl")
    with output_lock(folder / "teacher.jsonl", 0):   # the lock tag_file holds: a second run is refused, not mixed in
        if part.exists() or record.exists():
            return   # a pass under way: tag_file resumes it
        found = max(_smaller_passes(folder), default=None)
        if found is None:
            return
        _, other = found
        with (other / "unlabelled.jsonl").open("rb") as lines:
            rows = sum(1 for _ in lines)
        for chunk in range(rows // VECTOR_CHUNK):   # full files only: their rows are this pass's rows
            name = f"vectors-{chunk:05d}.safetensors"
            if (other / name).is_file() and not (folder / name).exists():
                write_bytes(folder / name, (other / name).read_bytes())
        write_json(record, run_record(folder / "unlabelled.jsonl", teacher))   # first: a cut copy still resumes
        shutil.copyfile(other / "teacher.jsonl", part)
    print(f"starting from {other}: its {rows} rows are this pass's first", file=sys.stderr)


def _smaller_passes(folder: Path) -> Iterator[tuple[int, Path]]:
    """(cap, folder) of each finished pass beside `folder` that differs only by a smaller cap, rows a prefix of ours."""
    source = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    for other in folder.parent.iterdir():
        try:
            other_source = json.loads((other / "source.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if ({**other_source, "max_sentences": source["max_sentences"]} != source
                or other_source["max_sentences"] >= source["max_sentences"] or not (other / "teacher.jsonl").is_file()):
            continue
        if _starts_with(folder / "unlabelled.jsonl", other / "unlabelled.jsonl"):
            yield other_source["max_sentences"], other


def _starts_with(path: Path, prefix: Path) -> bool:
    """Whether `path`'s bytes begin with all of `prefix`'s, read in blocks (passes can be gigabytes)."""
    if prefix.stat().st_size > path.stat().st_size:
        return False
    with path.open("rb") as ours, prefix.open("rb") as theirs:
        while block := theirs.read(1 << 20):
            if ours.read(len(block)) != block:
                return False
    return True


def teacher_vectors(folder: Path, teacher: str, texts: list[str]) -> np.ndarray:
    """The teacher's final-layer [CLS] vector of each text (float16), computed once into `folder` in chunks."""
    from model.tagger import Tagger

    tagger, chunks = None, []
    with tqdm(desc="teacher vectors", unit=" sentences", total=len(texts), file=sys.stderr) as progress:
        for start in range(0, len(texts), VECTOR_CHUNK):
            path = folder / f"vectors-{start // VECTOR_CHUNK:05d}.safetensors"
            rows = texts[start : start + VECTOR_CHUNK]
            if not path.is_file():
                tagger = tagger or Tagger.from_pretrained(teacher)
                write_bytes(path, save({"cls": tagger.sentence_vectors(rows).astype(np.float16)}))
            try:
                chunk = load(path.read_bytes())["cls"]
            except Exception as error:  # truncated or foreign: safetensors fails in several ways
                raise ValueError(f"{path}: not a file of teacher vectors ({type(error).__name__}); "
                                 "delete it to recompute") from None
            if len(chunk) != len(rows):
                raise ValueError(f"{path}: {len(chunk)} vectors for {len(rows)} sentences; delete it to recompute")
            chunks.append(chunk)
            progress.update(len(rows))
    return np.concatenate(chunks)
