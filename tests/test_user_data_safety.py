"""Nothing a user owns is lost: folders that are not ours are never replaced, a folder of ours only once its
replacement is complete, and files get the ordinary permissions of the umask. (Tagging output: test_tag_file.py.)"""

import os
import stat

import pytest

from model.__main__ import main as model_main
from model.cue_tagger import CueTagger
from model.io import write_folder, write_json
from model.tagger import is_tagger_folder
from train.config import ConfigError, load_config
from train.run import run
from train.run_dir import run_lock


def test_saving_into_a_folder_of_someone_else_s_files_is_refused_untouched(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep")
    with pytest.raises(FileExistsError, match="not ours to replace"):
        CueTagger().save_pretrained(mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert model_main(["quantize", "--model", str(tmp_path / "nothing-here"), "--out", str(mine)]) == 2


def test_a_tagger_folder_is_replaced_only_once_the_new_one_is_complete(tmp_path):
    folder = tmp_path / "model"
    CueTagger().save_pretrained(folder)
    before = (folder / "tagger.json").read_text()

    def failing(staging):
        (staging / "half.txt").write_text("x")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        write_folder(folder, failing, replaceable=is_tagger_folder)
    assert (folder / "tagger.json").read_text() == before and not (folder / "half.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no staging or old folder left behind
    CueTagger().save_pretrained(folder)  # our own folder: replaced
    assert is_tagger_folder(folder)


def test_training_into_a_folder_that_is_not_a_run_is_refused_untouched(tmp_path):
    (tmp_path / "source.py").write_text("print('mine')\n")
    config = load_config("configs/cues.yaml", [f"output_dir={tmp_path}", "data.train=tests/fixtures/train.jsonl",
                                               "data.dev=tests/fixtures/dev.jsonl", "data.test=tests/fixtures/test.jsonl"])
    with pytest.raises(ConfigError, match="not a training run"):
        run(config)
    assert [p.name for p in tmp_path.iterdir()] == ["source.py"]


def test_a_second_training_run_on_a_run_folder_in_use_is_refused_untouched(tmp_path):
    run_dir = tmp_path / "run"
    config = load_config("configs/cues.yaml", [f"output_dir={run_dir}", "data.train=tests/fixtures/train.jsonl",
                                               "data.dev=tests/fixtures/dev.jsonl", "data.test=tests/fixtures/test.jsonl"])
    with run_lock(run_dir):  # as if another run were training into it now
        with pytest.raises(FileExistsError, match="being trained by another run"):
            run(config)
    assert [p.name for p in run_dir.iterdir()] == ["train.lock"]
    run(config)  # once it has finished
    assert (run_dir / "model" / "tagger.json").is_file()


def test_files_and_folders_get_the_permissions_of_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        CueTagger().save_pretrained(tmp_path / "model")
        write_json(tmp_path / "report.json", {"a": 1})
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "model").stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "model" / "tagger.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "report.json").stat().st_mode) == 0o644
