"""A student trained on a teacher's probabilities over unlabelled text, through the same run as any model."""

import json
import subprocess
import sys

import pytest
import torch
from transformers import AutoTokenizer

from model import Tagger
from model.data import read_examples
from model.labels import LABELS
from train.config import ConfigError, load_config
from train import distill
from train.run import keep_first_layers, run

SMALL = [
    "data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/train.jsonl", "data.test=tests/fixtures/test.jsonl",
    "data.articles=null", "model.tiny.vocab_size=600", "model.tiny.hidden_size=64", "model.tiny.intermediate_size=128",
    "training.learning_rate=3e-3", "training.warmup_steps=0", "training.per_device_train_batch_size=8",
    "early_stopping_patience=0",
]


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    out = tmp_path_factory.mktemp("teacher") / "run"
    return run(load_config("configs/tiny.yaml", [*SMALL, "training.num_train_epochs=30", f"output_dir={out}"])) / "model"


def test_a_student_learns_from_gold_and_the_teachers_probabilities(teacher, corpora, tmp_path):
    overrides = [*SMALL, "training.num_train_epochs=3", f"distill.teacher={teacher}",
                 f"distill.corpora=[{corpora[0]}, {corpora[1]}]", "distill.max_sentences=50", f"output_dir={tmp_path / 'student'}"]
    run_dir = run(load_config("configs/tiny.yaml", overrides))
    (outputs,) = (tmp_path / "teacher-outputs").iterdir()   # beside the run folder, for other students to reuse
    tagged = [json.loads(line) for line in (outputs / "teacher.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [row for row in tagged if row["gold"] is not None]
    unlabelled = [row for row in tagged if row["gold"] is None]
    assert len(gold) == 32 and 0 < len(unlabelled) <= 50
    assert all(abs(sum(row["prediction"]["probabilities"].values()) - 1) < 1e-4 for row in tagged)
    assert "خبر من سبتمبر." not in {row["text"] for row in unlabelled}   # a held-out day of the corpus
    card = (run_dir / "model" / "README.md").read_text(encoding="utf-8")
    assert "Distilled from the teacher" in card
    # the tiny tokenizer learns from all the student reads: "the party" is in unlabelled text, not in gold
    assert AutoTokenizer.from_pretrained(run_dir / "model").tokenize("الحفل") == ["الحفل"]
    assert Tagger.from_pretrained(run_dir / "model").predict(["نفت الوزارة الخبر."])[0].label in (
        "report", "denial", "allegation", "background")


def test_a_student_can_also_learn_the_teachers_sentence_vectors(teacher, corpora, tmp_path):
    from safetensors.numpy import load_file

    overrides = [*SMALL, "training.num_train_epochs=2", f"distill.teacher={teacher}", "distill.vector_weight=1.0",
                 f"distill.corpora=[{corpora[0]}, {corpora[1]}]", "distill.max_sentences=20",
                 "model.tiny.hidden_size=32", "model.tiny.intermediate_size=64", f"output_dir={tmp_path / 'student'}"]
    run_dir = run(load_config("configs/tiny.yaml", overrides))
    (outputs,) = (tmp_path / "teacher-outputs").iterdir()
    rows = (outputs / "teacher.jsonl").read_text(encoding="utf-8").splitlines()
    vectors = load_file(outputs / "vectors-00000.safetensors")["cls"]
    assert vectors.shape == (len(rows), 64)   # the teacher's width; the student's is 32
    first = json.loads(rows[0])["text"]
    assert abs(vectors[0].astype("float32") - Tagger.from_pretrained(teacher).sentence_vectors([first])[0]).max() < 1e-2
    assert not any("vector_map" in key for key in load_file(run_dir / "model" / "model.safetensors"))
    assert Tagger.from_pretrained(run_dir / "model").predict(["نفت الوزارة الخبر."])[0].label in (
        "report", "denial", "allegation", "background")


def test_a_larger_cap_tags_only_the_new_sentences(teacher, corpora, tmp_path, monkeypatch):
    from safetensors.numpy import load_file, save_file

    monkeypatch.setattr(distill, "VECTOR_CHUNK", 4)
    overrides = [*SMALL, f"distill.teacher={teacher}", f"distill.corpora=[{corpora[0]}, {corpora[1]}]",
                 "distill.vector_weight=1.0", f"output_dir={tmp_path / 'student'}"]
    small = load_config("configs/tiny.yaml", [*overrides, "distill.max_sentences=2"])
    gold = read_examples(small.data.train)
    distill.teacher_targets(small, gold)
    (first,) = (tmp_path / "teacher-outputs").iterdir()
    # mark the smaller pass's outputs: a sentence tagged again would lose the mark
    rows = (first / "teacher.jsonl").read_text(encoding="utf-8").splitlines()
    marked = json.loads(rows[0])
    marked["prediction"]["probabilities"] = {label: 0.25 for label in LABELS}
    (first / "teacher.jsonl").write_text("\n".join([json.dumps(marked, ensure_ascii=False), *rows[1:]]) + "\n",
                                         encoding="utf-8")
    width = load_file(first / "vectors-00000.safetensors")["cls"].shape[1]
    save_file({"cls": torch.zeros(4, width, dtype=torch.float16).numpy()}, first / "vectors-00000.safetensors")

    larger = load_config("configs/tiny.yaml", [*overrides, "distill.max_sentences=5"])
    targets = distill.teacher_targets(larger, gold)
    (second,) = {folder for folder in (tmp_path / "teacher-outputs").iterdir()} - {first}
    assert targets[0]["teacher"] == [0.25] * len(LABELS)          # reused, not tagged again
    assert (load_file(second / "vectors-00000.safetensors")["cls"] == 0).all()
    assert len(targets) > len(rows)                                 # the new sentences were tagged
    later = [json.loads(line) for line in (second / "teacher.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["text"] for row in later[: len(rows)]] == [json.loads(row)["text"] for row in rows]


def test_a_proposer_spreads_the_teachers_sentences_over_its_labels(teacher, corpora, tmp_path):
    from model.card import distilled_from
    from model.cue_tagger import CueTagger

    CueTagger().save_pretrained(tmp_path / "cues")   # any tagger folder proposes; a first student is faster
    overrides = [*SMALL, f"distill.teacher={teacher}", f"distill.corpora=[{corpora[0]}, {corpora[1]}]",
                 f"output_dir={tmp_path / 'student'}", "distill.max_sentences=2"]
    gold = read_examples("tests/fixtures/train.jsonl")
    plain = distill.teacher_targets(load_config("configs/tiny.yaml", overrides), gold)
    proposed = load_config("configs/tiny.yaml", [*overrides, f"distill.proposer={tmp_path / 'cues'}",
                                                 "distill.pool_sentences=100"])
    targets = distill.teacher_targets(proposed, gold)
    texts = [row["text"] for row in targets[len(gold):]]
    # the pool's one denial (by the cue words) is among the two sentences the teacher tags; the plain draw's
    # first two sentences are not denials
    assert len(texts) == 2 and "نفت الوزارة صحة الأنباء المتداولة." in texts
    assert "نفت الوزارة صحة الأنباء المتداولة." not in [row["text"] for row in plain[len(gold):]]
    summary = json.loads((distill.teacher_outputs_dir(proposed, gold) / "proposed.json").read_text(encoding="utf-8"))
    assert summary["chosen"] == {"denial": 1, "background": 1} and summary["pool"]["denial"] == 1
    assert sum(summary["pool"].values()) > 2
    plain_pass = distill.teacher_outputs_dir(load_config("configs/tiny.yaml", overrides), gold)
    assert plain_pass != distill.teacher_outputs_dir(proposed, gold)      # its own pass: another choice of text
    assert "proposer" not in json.loads((plain_pass / "source.json").read_text(encoding="utf-8"))  # plain keys unchanged
    card = "\n".join(distilled_from(proposed.to_dict()))
    assert "over up to 2 unlabelled training-period sentences, chosen from 100 by the proposer `" in card
    assert "cues` to spread them over its labels" in card


@pytest.mark.parametrize("keys, message", [
    (["distill.pool_sentences=100"], "without distill.proposer"),
    (["distill.proposer={cues}", "distill.pool_sentences=10"], "must be at least distill.max_sentences"),
    (["distill.proposer={nowhere}", "distill.pool_sentences=100"], "is not a saved tagger"),
    (["distill.proposer={broken}", "distill.pool_sentences=100"], "distill.proposer: .*tagger.json: not valid JSON"),
])
def test_a_proposer_and_its_pool_are_checked_before_anything_runs(teacher, tmp_path, keys, message):
    from model.cue_tagger import CueTagger

    CueTagger().save_pretrained(tmp_path / "cues")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "tagger.json").write_text('{"kind": "cues"', encoding="utf-8")   # cut short
    keys = [key.format(cues=tmp_path / "cues", nowhere=tmp_path / "nowhere", broken=tmp_path / "broken") for key in keys]
    with pytest.raises(ConfigError, match=message):
        load_config("configs/tiny.yaml", [*SMALL, f"distill.teacher={teacher}", "distill.max_sentences=20", *keys])


def test_a_second_run_on_the_same_pass_is_refused_before_it_copies_anything(teacher, corpora, tmp_path):
    from model.tag_file import partial_paths

    overrides = [*SMALL, f"distill.teacher={teacher}", f"distill.corpora=[{corpora[0]}, {corpora[1]}]",
                 f"output_dir={tmp_path / 'student'}"]
    gold = read_examples(load_config("configs/tiny.yaml", overrides).data.train)
    distill.teacher_targets(load_config("configs/tiny.yaml", [*overrides, "distill.max_sentences=2"]), gold)
    larger = load_config("configs/tiny.yaml", [*overrides, "distill.max_sentences=5"])
    folder = distill.teacher_outputs_dir(larger, gold)
    holder = subprocess.Popen(   # another run is tagging this pass right now (locks are per process)
        [sys.executable, "-c", "import sys; from pathlib import Path; from model.tag_file import output_lock\n"
         f"with output_lock(Path({str(folder / 'teacher.jsonl')!r}), 0):\n print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(FileExistsError, match="another tagging run"):
            distill.teacher_targets(larger, gold)
    finally:
        holder.communicate("")
    assert not any(path.exists() for path in partial_paths(folder / "teacher.jsonl"))


def test_sentence_vectors_need_a_transformer_teacher(tmp_path):
    cues = run(load_config("configs/cues.yaml", [*SMALL, f"output_dir={tmp_path / 'cues'}"])) / "model"
    with pytest.raises(ConfigError, match="needs a transformer teacher"):
        load_config("configs/tiny.yaml", [*SMALL, f"distill.teacher={cues}", "distill.vector_weight=1.0"])
    with pytest.raises(ConfigError, match="vector_weight must be 0 or more"):
        load_config("configs/tiny.yaml", [*SMALL, f"distill.teacher={cues}", "distill.vector_weight=-1"])


def test_a_shallow_student_keeps_the_first_layers_of_its_teacher(teacher, tmp_path):
    from transformers import AutoModelForSequenceClassification

    full = AutoModelForSequenceClassification.from_pretrained(teacher)
    shallow = AutoModelForSequenceClassification.from_pretrained(teacher)
    keep_first_layers(shallow, 1)
    assert len(shallow.base_model.encoder.layer) == 1 and shallow.config.num_hidden_layers == 1
    assert torch.equal(shallow.base_model.encoder.layer[0].attention.self.query.weight,
                       full.base_model.encoder.layer[0].attention.self.query.weight)
    shallow.save_pretrained(tmp_path / "shallow")
    assert AutoModelForSequenceClassification.from_pretrained(tmp_path / "shallow").config.num_hidden_layers == 1
    with pytest.raises(ConfigError, match="exceeds the base model's 1 layers"):
        keep_first_layers(shallow, 3)


def test_a_teacher_that_is_not_a_tagger_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ConfigError, match="is not a saved tagger"):
        load_config("configs/tiny.yaml", [*SMALL, f"distill.teacher={tmp_path}"])


def test_a_missing_corpus_folder_is_refused_before_anything_runs_saying_where_to_get_it(teacher, tmp_path):
    with pytest.raises(ConfigError, match=r"distill.corpora: .*nowhere: no corpus archives here.*ANT Corpus"):
        load_config("configs/tiny.yaml", [*SMALL, f"distill.teacher={teacher}", f"distill.corpora=[{tmp_path / 'nowhere'}]"])


def test_students_of_one_teacher_share_its_pass_and_a_retrained_teacher_gets_a_fresh_one(teacher, corpora, tmp_path):
    import shutil

    from model.data import read_examples
    from train.distill import teacher_outputs_dir, teacher_targets

    own_teacher = shutil.copytree(teacher, tmp_path / "teacher")
    distill = [f"distill.teacher={own_teacher}", f"distill.corpora=[{corpora[0]}, {corpora[1]}]", "distill.max_sentences=20"]
    tiny = load_config("configs/tiny.yaml", [*SMALL, *distill, f"output_dir={tmp_path / 'tiny'}"])
    wider = load_config("configs/tiny.yaml", [*SMALL, *distill, "model.tiny.hidden_size=32", f"output_dir={tmp_path / 'wider'}"])
    train = read_examples("tests/fixtures/train.jsonl")
    targets = teacher_targets(tiny, train)
    outputs = teacher_outputs_dir(tiny, train)
    tagged_at = (outputs / "teacher.jsonl").stat().st_mtime_ns
    assert teacher_outputs_dir(wider, train) == outputs and teacher_targets(wider, train) == targets
    assert (outputs / "teacher.jsonl").stat().st_mtime_ns == tagged_at          # reused, not tagged again
    settings = json.loads((own_teacher / "tagger.json").read_text())
    (own_teacher / "tagger.json").write_text(json.dumps({**settings, "temperature": 2.5}))   # "retrained" in place
    assert teacher_outputs_dir(tiny, train) != outputs


def test_a_damaged_file_of_teacher_vectors_is_named_and_kept(tmp_path):
    from train.distill import teacher_vectors

    damaged = tmp_path / "vectors-00000.safetensors"
    damaged.write_bytes(b"half a file")
    with pytest.raises(ValueError, match=r"vectors-00000.safetensors: not a file of teacher vectors.*delete it"):
        teacher_vectors(tmp_path, "runs/no-teacher-needed", ["جملة."])
    assert damaged.read_bytes() == b"half a file"
