"""The one loader of labelled sentence files (JSONL, schema of data/LABELS.md).

Train, eval and the data validator all read through `read_examples`, which reports
every problem of a file as path:line and raises once, so nothing downstream sees
half-valid data.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from model.labels import LABEL2ID, LABELS

REQUIRED_FIELDS: dict[str, type] = {"id": str, "text": str, "label": str, "doc_id": str, "source": str}
OPTIONAL_FIELDS: dict[str, type] = {"position": int, "corpus": str}
KIND_WORDS: dict[type, str] = {int: "a whole number", float: "a number", str: "a string", bool: "true or false"}
"""How an error message names an expected type: users write YAML and JSON, not Python."""
CORPORA = ("saudinewsnet", "ant")
"""The raw corpora labelled rows come from (field `corpus`; `source` is the outlet)."""


@dataclass(frozen=True)
class Example:
    """One labelled sentence."""

    id: str
    text: str
    label: str
    doc_id: str
    source: str
    position: int | None = None
    corpus: str = ""
    """'saudinewsnet' or 'ant'; empty in files that do not say (users' own data)."""


class DataError(ValueError):
    """A data file has problems; `problems` lists each as 'path:line: what'."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:50]
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in data:\n" + "\n".join(shown) + more)


def read_examples(path: str | os.PathLike) -> list[Example]:
    """Read and validate a labelled JSONL file; raise DataError listing every problem."""
    examples, problems = parse_examples(path)
    if problems:
        raise DataError(problems)
    return examples


def parse_examples(path: str | os.PathLike) -> tuple[list[Example], list[str]]:
    """Read a labelled JSONL file, returning the valid examples and the problems found."""
    path = Path(path)
    if not path.is_file():
        return [], [f"{path}: no such file"]
    examples: list[Example] = []
    problems: list[str] = []
    seen_ids: dict[str, int] = {}
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            where = f"{path}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                problems.append(f"{where}: not UTF-8 (byte {error.start + 1} of the line)")
                continue
            if not line.strip():
                problems.append(f"{where}: empty line")
                continue
            example, errors = _parse_line(line, where)
            problems += errors
            if example is None:
                continue
            if example.id in seen_ids:
                problems.append(f"{where}: duplicate id {example.id!r} (first at line {seen_ids[example.id]})")
                continue
            seen_ids[example.id] = number
            examples.append(example)
    if not examples and not problems:
        problems.append(f"{path}: no examples")
    return examples, problems


def _parse_line(line: str, where: str) -> tuple[Example | None, list[str]]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as error:
        return None, [f"{where}: malformed JSON ({error.msg} at column {error.colno})"]
    if not isinstance(obj, dict):
        return None, [f"{where}: expected a JSON object, got {type(obj).__name__}"]
    problems = []
    for field, kind in REQUIRED_FIELDS.items():
        if field not in obj:
            problems.append(f"{where}: missing field {field!r}")
        elif not isinstance(obj[field], kind):
            problems.append(f"{where}: field {field!r} must be {KIND_WORDS[kind]}, got {type(obj[field]).__name__}")
    for field, kind in OPTIONAL_FIELDS.items():
        if field in obj and (not isinstance(obj[field], kind) or isinstance(obj[field], bool)):
            problems.append(f"{where}: field {field!r} must be {KIND_WORDS[kind]}, got {type(obj[field]).__name__}")
    if problems:
        return None, problems
    if not obj["text"].strip():
        problems.append(f"{where}: empty or whitespace-only text (id {obj['id']!r})")
    if obj["label"] not in LABEL2ID:
        problems.append(f"{where}: unknown label {obj['label']!r}; expected one of {', '.join(LABELS)}")
    for field in ("id", "doc_id"):
        if not obj[field].strip():
            problems.append(f"{where}: empty {field}")
    if "corpus" in obj and obj["corpus"] not in CORPORA:
        problems.append(f"{where}: unknown corpus {obj['corpus']!r}; expected one of {', '.join(CORPORA)}")
    if problems:
        return None, problems
    return Example(obj["id"], obj["text"], obj["label"], obj["doc_id"], obj["source"], obj.get("position"),
                   obj.get("corpus", "")), []
