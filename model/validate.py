"""Validate labelled data files, alone and against each other.

    python -m model validate data/            # every *.jsonl in the folder
    python -m model validate a.jsonl b.jsonl

Checks each file's schema (through model.data), duplicate texts within a file, and
leakage between files: no id, doc_id or (normalised) text may appear in two files. For a
folder, also checks that its Markdown documents (guidelines, briefs) quote no held-out
sentence (model/quote_check.py). Prints every problem as file:line and returns non-zero
when there is any.
"""

import json
import os
import sys
from collections import Counter
from pathlib import Path

from model.data import Example, parse_examples
from model.quote_check import held_out_quotes
from model.text import normalize_for_matching


def find_problems(paths: list[Path]) -> tuple[list[str], dict[Path, list[Example]]]:
    """All problems of `paths`, and the valid examples of each file."""
    problems: list[str] = []
    files: dict[Path, list[Example]] = {}
    lines: dict[Path, dict[str, int]] = {}
    for path in paths:
        examples, errors = parse_examples(path)
        problems += errors
        files[path] = examples
        lines[path] = _line_numbers(path)
        problems += _duplicate_texts(path, examples, lines[path])
    owners: dict[tuple[str, str], Path] = {}
    for path, examples in files.items():
        for example in examples:
            for field, value in (
                ("id", example.id),
                ("doc_id", example.doc_id),
                ("text", normalize_for_matching(example.text)),
            ):
                owner = owners.setdefault((field, value), path)
                if owner != path:
                    problems.append(
                        f"{path}:{lines[path][example.id]}: {field} of {example.id!r} also in {owner} (split leakage)"
                    )
    return problems, files


def _duplicate_texts(path: Path, examples: list[Example], lines: dict[str, int]) -> list[str]:
    first: dict[str, str] = {}
    problems = []
    for example in examples:
        key = normalize_for_matching(example.text)
        if key in first:
            problems.append(
                f"{path}:{lines[example.id]}: duplicate text of {example.id!r} (same as {first[key]!r})"
            )
        else:
            first[key] = example.id
    return problems


def _line_numbers(path: Path) -> dict[str, int]:
    numbers: dict[str, int] = {}
    if not path.is_file():
        return numbers
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            try:
                numbers.setdefault(json.loads(line)["id"], number)
            except (ValueError, KeyError, TypeError):  # bad JSON or UTF-8: parse_examples names the line
                continue
    return numbers


def collect_paths(targets: list[str | os.PathLike]) -> list[Path]:
    """Expand folders into their *.jsonl files (sorted); keep files as given."""
    paths: list[Path] = []
    for target in map(Path, targets):
        paths += sorted(target.glob("*.jsonl")) if target.is_dir() else [target]
    return paths


def documents_of(targets: list[str | os.PathLike]) -> list[Path]:
    """The Markdown documents (guidelines, briefs, datasheet) under the folders among `targets`."""
    return sorted(doc for target in map(Path, targets) if target.is_dir() for doc in target.rglob("*.md"))


def held_out(files: dict[Path, list[Example]]) -> dict[Path, list[Example]]:
    """The files that are not training data (dev, test, whole test articles)."""
    return {path: examples for path, examples in files.items() if not path.name.startswith("train")}


def summary(files: dict[Path, list[Example]]) -> str:
    """One line per file: sentence count, article count and label counts."""
    rows = []
    for path, examples in files.items():
        counts = Counter(e.label for e in examples)
        labels = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
        rows.append(f"{path}: {len(examples)} sentences, {len({e.doc_id for e in examples})} articles ({labels})")
    return "\n".join(rows)


def main(targets: list[str]) -> int:
    paths = collect_paths(targets)
    if not paths:
        print(f"error: no .jsonl files in {' '.join(targets)}", file=sys.stderr)
        return 2
    problems, files = find_problems(paths)
    problems += held_out_quotes(documents_of(targets), held_out(files))
    print(summary(files))
    if problems:
        print(f"\n{len(problems)} problem(s):")
        print("\n".join(problems))
        return 2
    print("OK: no problems")
    return 0
