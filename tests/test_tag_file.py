"""Tagging files: streaming in chunks, resuming a partial output, and merging processes' parts in order."""

import json
import os
import subprocess
import sys

import pytest

from model.tag_file import merge_parts, tag_file
from model.cue_tagger import CueTagger

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


def read_ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_tags_in_chunks_and_keeps_input_fields(cue_model, sentences_file, tmp_path):
    out = tmp_path / "out.jsonl"
    assert tag_file(str(sentences_file), cue_model, str(out), chunk_size=7) == 50
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == list(range(50))
    assert [r["label"] for r in rows[:4]] == ["denial", "allegation", "report", "background"]
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_resumes_after_the_last_complete_line(cue_model, sentences_file, tmp_path):
    out = tmp_path / "out.jsonl"
    tag_file(str(sentences_file), cue_model, str(out), chunk_size=7)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    # an interrupted run: 23 complete lines and half of the 24th
    (tmp_path / "out.jsonl.partial").write_text("".join(lines[:23]) + lines[23][:10], encoding="utf-8")
    out.unlink()
    assert tag_file(str(sentences_file), cue_model, str(out), chunk_size=7) == 50
    assert out.read_text(encoding="utf-8") == "".join(lines)


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
