"""Tagging files: streaming in chunks, input rows kept with a prediction field of their own, resuming only a
partial output of the same command, one run at a time on an output, and merging processes' parts in order."""

import json
import os
import subprocess
import sys

from itertools import islice

import pytest

from model.__main__ import main as model_main
from model.cue_tagger import CueTagger
from model.settings import TaggerSettings
from model.tag_file import merge_parts, tag_file

SENTENCES = ["نفى الوزير الخبر.", "وقالت مصادر مطلعة إن الصفقة تمت.", "افتتح الأمير المعرض.", "الطقس حار."]


@pytest.fixture
def cue_model(tmp_path):
    CueTagger().save_pretrained(tmp_path / "cues")
    return str(tmp_path / "cues")


@pytest.fixture
def sentences_file(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": SENTENCES[i % 4]}, ensure_ascii=False) + "\n"
                            for i in range(50)), encoding="utf-8")
    return path


@pytest.fixture
def labelled_input(tmp_path):
    path = tmp_path / "labelled.jsonl"
    rows = [{"id": i, "text": SENTENCES[i % 4], "label": "report"} for i in range(30)]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def read_ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_tags_in_chunks_and_keeps_input_fields(cue_model, sentences_file, tmp_path):
    out = tmp_path / "out.jsonl"
    assert tag_file(str(sentences_file), cue_model, str(out), chunk_size=7) == 50
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(range(50))
    assert [r["prediction"]["label"] for r in rows[:4]] == ["denial", "allegation", "report", "background"]
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_resumes_after_the_last_complete_line(cue_model, sentences_file, tmp_path, monkeypatch):
    expected = tmp_path / "expected.jsonl"
    tag_file(str(sentences_file), cue_model, str(expected), chunk_size=7)
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    predict, calls = CueTagger.predict, []

    def stopped_at_the_fifth_chunk(self, sentences, **options):
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        return predict(self, sentences, **options)

    with monkeypatch.context() as patch:
        patch.setattr(CueTagger, "predict", stopped_at_the_fifth_chunk)
        with pytest.raises(KeyboardInterrupt):
            tag_file(str(sentences_file), cue_model, str(out), chunk_size=7)
    lines = partial.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == 28 and not out.exists()
    # as if stopped in the middle of a line: 23 complete lines and half of the 24th
    partial.write_text("".join(lines[:23]) + lines[23][:10], encoding="utf-8")
    assert tag_file(str(sentences_file), cue_model, str(out), chunk_size=7) == 50
    assert out.read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")
    assert not partial.exists() and not (tmp_path / "out.jsonl.partial.run.json").exists()


def test_a_partial_output_without_its_run_record_is_not_resumed(cue_model, sentences_file, tmp_path):
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    partial.write_text('{"id": 0, "text": "not from this run"}\n', encoding="utf-8")
    with pytest.raises(FileExistsError, match="no record of its run"):
        tag_file(str(sentences_file), cue_model, str(out))
    assert partial.read_text(encoding="utf-8").startswith('{"id": 0, "text": "not from this run"}')
    assert tag_file(str(sentences_file), cue_model, str(out), overwrite=True) == 50
    assert read_ids(out) == list(range(50))


def test_refuses_to_overwrite_a_finished_output(cue_model, sentences_file, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n")
    with pytest.raises(FileExistsError, match="--overwrite"):
        tag_file(str(sentences_file), cue_model, str(out))
    assert out.read_text() == "keep me\n"


def test_merge_interleaves_parts_chunk_by_chunk(tmp_path):
    # chunks of 2 over 7 items: process 0 had chunks 0, 2 (items 0-1, 4-5), process 1 chunks 1, 3 (2-3, 6)
    parts = [tmp_path / "p0", tmp_path / "p1"]
    parts[0].write_text("0\n1\n4\n5\n")
    parts[1].write_text("2\n3\n6\n")
    merge_parts(parts, tmp_path / "merged", chunk_size=2)
    assert (tmp_path / "merged").read_text().split() == [str(i) for i in range(7)]
    assert not parts[0].exists() and not parts[1].exists()


def test_two_processes_split_the_input_and_merge_it_in_order(cue_model, sentences_file, tmp_path):
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node", "2", "-m", "model", "tag",
               "--model", cue_model, str(sentences_file), "--output", str(out), "--chunk-size", "6"]
    env = {**os.environ, "PYTHONPATH": os.getcwd(), "OMP_NUM_THREADS": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert read_ids(out) == list(range(50))


def test_input_fields_are_kept_and_the_prediction_has_a_field_of_its_own(cue_model, labelled_input, tmp_path):
    out = tmp_path / "out.jsonl"
    tag_file(str(labelled_input), cue_model, str(out))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["label"] for r in rows] == ["report"] * 30  # the gold label, untouched
    assert [r["prediction"]["label"] for r in rows[:4]] == ["denial", "allegation", "report", "background"]
    assert set(rows[0]["prediction"]) == {"label", "score", "probabilities", "truncated", "has_arabic"}


def test_an_input_row_that_already_has_a_prediction_field_is_refused(cue_model, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "نص", "prediction": "mine"}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"in.jsonl:1: already has a 'prediction' field"):
        tag_file(str(path), cue_model, str(tmp_path / "out.jsonl"))


def test_a_partial_output_from_another_run_is_refused_then_replaced_under_overwrite(cue_model, labelled_input, tmp_path):
    out = tmp_path / "k3.jsonl"
    stale = "".join(json.dumps({"text": "old", "prediction": {"label": "report"}}) + "\n" for _ in range(1024))
    (tmp_path / "k3.jsonl.partial").write_text(stale)
    with pytest.raises(FileExistsError, match="has no record of its run; pass --overwrite"):
        tag_file(str(labelled_input), cue_model, str(out))
    assert (tmp_path / "k3.jsonl.partial").read_text() == stale
    assert tag_file(str(labelled_input), cue_model, str(out), overwrite=True) == 30
    assert len(out.read_text().splitlines()) == 30


def interrupt_after_two_chunks(monkeypatch):
    """Make the next tag_file stop (as if killed) after writing two chunks."""
    import model.tag_file as tagging

    real = tagging._tag

    def two_chunks_then_stop(tagger, chunk_iter, out, *args, **kwargs):
        real(tagger, islice(chunk_iter, 2), out, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(tagging, "_tag", two_chunks_then_stop)


def test_the_same_command_resumes_its_own_partial_output(cue_model, labelled_input, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    tag_file(str(labelled_input), cue_model, str(out), chunk_size=7)
    expected = out.read_text(encoding="utf-8")
    out.unlink()
    with monkeypatch.context() as patch:
        interrupt_after_two_chunks(patch)
        with pytest.raises(KeyboardInterrupt):
            tag_file(str(labelled_input), cue_model, str(out), chunk_size=7)
    partial = tmp_path / "out.jsonl.partial"
    assert len(partial.read_text(encoding="utf-8").splitlines()) == 14
    with partial.open("a", encoding="utf-8") as handle:
        handle.write(expected.splitlines(keepends=True)[14][:9])  # killed in the middle of a line
    assert tag_file(str(labelled_input), cue_model, str(out), chunk_size=7) == 30
    assert out.read_text(encoding="utf-8") == expected
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out.jsonl"]


def test_a_partial_output_of_another_model_is_not_resumed(cue_model, labelled_input, tmp_path, monkeypatch):
    out = tmp_path / "out.jsonl"
    with monkeypatch.context() as patch:
        interrupt_after_two_chunks(patch)
        with pytest.raises(KeyboardInterrupt):
            tag_file(str(labelled_input), cue_model, str(out), chunk_size=7)
    other = tmp_path / "other-cues"
    CueTagger(TaggerSettings(kind="cues", normalization=None)).save_pretrained(other)
    with pytest.raises(FileExistsError, match=r"written by another run \(different model\)"):
        tag_file(str(labelled_input), str(other), str(out), chunk_size=7)
    assert len((tmp_path / "out.jsonl.partial").read_text().splitlines()) == 14  # left as it was


HOLD_THE_LOCK = """
import sys
from pathlib import Path
from model.tag_file import output_lock
with output_lock(Path(sys.argv[1]), rank=0):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_a_second_run_on_the_same_output_is_kept_off_it(cue_model, labelled_input, tmp_path):
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    other_run = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(out)], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert other_run.stdout.readline().strip() == "locked"  # another run is writing the output now
        with pytest.raises(FileExistsError, match="being written by another tagging run"):
            tag_file(str(labelled_input), cue_model, str(out))
    finally:
        other_run.communicate("")
    assert not (tmp_path / "out.jsonl.partial").exists()
    assert tag_file(str(labelled_input), cue_model, str(out)) == 30  # once it has finished


@pytest.mark.parametrize("option", [["--chunk-size", "0"], ["--threads", "0"], ["--batch-size", "-3"]])
def test_impossible_numbers_are_refused_before_anything_runs(cue_model, labelled_input, tmp_path, option, capsys):
    with pytest.raises(SystemExit) as stopped:
        model_main(["tag", "--model", cue_model, str(labelled_input), "--output", str(tmp_path / "o.jsonl"), *option])
    assert stopped.value.code == 2 and "must be at least 1" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()
