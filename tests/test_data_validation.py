import json

import pytest

from model.data import DataError, read_examples
from model.validate import main as validate_main


def write_lines(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def row(**overrides):
    base = {"id": "a-01", "text": "نفى الوزير الخبر.", "label": "denial", "doc_id": "a", "source": "okaz"}
    return json.dumps({**base, **overrides}, ensure_ascii=False)


def test_reads_a_valid_file(fixtures):
    examples = read_examples(fixtures / "train.jsonl")
    assert len(examples) == 32 and examples[0].label in {"report", "denial", "allegation", "background"}


def test_lists_every_problem_with_file_and_line(tmp_path):
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            row(),
            "{not json",
            row(id="a-02", label="Denial"),
            row(id="a-03", text="   "),
            row(id="a-01", text="جملة أخرى."),
            json.dumps({"id": "a-05", "text": "نص"}),
        ],
    )
    with pytest.raises(DataError) as caught:
        read_examples(path)
    problems = caught.value.problems
    assert [p.split(": ", 1)[0] for p in problems] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:4",
        f"{path}:5",
        f"{path}:6",
        f"{path}:6",
        f"{path}:6",
    ]
    assert "unknown label 'Denial'" in problems[1] and "duplicate id 'a-01'" in problems[3]


def test_a_field_of_the_wrong_type_is_named_in_json_words(tmp_path):
    path = write_lines(tmp_path / "bad.jsonl", [row(position="3"), row(id="a-02", text=7)])
    with pytest.raises(DataError) as caught:
        read_examples(path)
    assert caught.value.problems == [
        f"{path}:1: field 'position' must be a whole number, got str",
        f"{path}:2: field 'text' must be a string, got int",
    ]


def test_validator_flags_leakage_between_splits(tmp_path, capsys):
    write_lines(tmp_path / "train.jsonl", [row(), row(id="a-02", text="وقال إن الأمر انتهى.", label="report")])
    write_lines(tmp_path / "test.jsonl", [row(id="b-01", doc_id="a", text="  نفى   الوزير الخبر ")])
    assert validate_main([str(tmp_path)]) == 2  # invalid input: exit code 2, as every command
    out = capsys.readouterr().out
    train, test = tmp_path / "train.jsonl", tmp_path / "test.jsonl"  # test.jsonl is read first
    assert f"{train}:1: doc_id of 'a-01' also in {test} (split leakage)" in out
    assert f"{train}:1: text of 'a-01' also in {test} (split leakage)" in out
    assert f"{train}:2: doc_id of 'a-02' also in {test}" in out


def test_validator_passes_clean_files(fixtures, capsys):
    assert validate_main([str(fixtures)]) == 0
    assert "OK: no problems" in capsys.readouterr().out


def test_guidelines_that_quote_a_held_out_sentence_fail_validation(tmp_path, capsys):
    test_sentence = "وأكاد أجزم أن هذه الأرقام مبالغ فيها كثيرا في تقارير الصحف المحلية."
    write_lines(tmp_path / "train.jsonl", [row(id="t-01", doc_id="t", text="قال الوزير إن الأرقام دقيقة.")])
    write_lines(tmp_path / "test.jsonl", [row(id="x-01", doc_id="x", text=test_sentence, label="denial")])
    (tmp_path / "GUIDELINES.md").write_text(
        "1. Train examples are fine: «قال الوزير إن الأرقام».\n"
        "2. Hedged dismissal: «أكاد أجزم أن هذه\n   الأرقام».\n"
        "3. A copied run: هذه الأرقام مبالغ فيها كثيرا في تقارير.\n", encoding="utf-8")
    assert validate_main([str(tmp_path)]) == 2
    problems = [line for line in capsys.readouterr().out.splitlines() if "GUIDELINES.md" in line]
    assert len(problems) == 2
    assert problems[0].startswith(f"{tmp_path / 'GUIDELINES.md'}:2: «أكاد أجزم أن هذه الأرقام» quotes x-01")
    assert problems[1].startswith(f"{tmp_path / 'GUIDELINES.md'}:4: the words") and "x-01" in problems[1]
