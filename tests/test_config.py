import pytest

from train.config import ConfigError, apply_override, load_config

FIXTURE_DATA = [*(f"data.{split}=tests/fixtures/{split}.jsonl" for split in ("train", "dev", "test")), "data.articles=null"]


def test_tiny_config_loads_with_dotted_overrides():
    config = load_config(
        "configs/tiny.yaml",
        [*FIXTURE_DATA, "training.learning_rate=5e-4", "model.tiny.hidden_size=64"],
    )
    assert config.training["learning_rate"] == 5e-4
    assert config.model.tiny.hidden_size == 64
    assert config.run_dir.as_posix() == "runs/tiny"


def test_arabert_config_names_the_hub_model():
    config = load_config("configs/arabert.yaml", FIXTURE_DATA)
    assert config.model.name_or_path == "aubmindlab/bert-base-arabertv02"


def test_unknown_key_gets_a_did_you_mean():
    with pytest.raises(ConfigError, match=r"unknown key 'max_lenght' \(did you mean 'max_length'\?\)"):
        load_config("configs/tiny.yaml", ["model.max_lenght=64"])


def test_unknown_training_argument_gets_a_did_you_mean():
    with pytest.raises(ConfigError, match=r"'learning_rte' \(did you mean 'learning_rate'\?\)"):
        load_config("configs/tiny.yaml", ["training.learning_rte=0.1"])


@pytest.mark.parametrize(
    "override, message",
    [
        ("training.learning_rate=-0.1", "learning_rate must be a positive number"),
        ("model.max_length=abc", "model: max_length must be a whole number, got 'abc'"),
        ("class_weights=maybe", "class_weights must be true or false"),
        ("training.seed=1.5", "training.seed must be a whole number, got 1.5"),
        ("training.fp16=maybe", "training.fp16 must be true or false, got 'maybe'"),
        ("training.weight_decay=abc", "training.weight_decay must be a number, got 'abc'"),
        ("data.dev=missing/dev.jsonl", "data.dev: file not found: missing/dev.jsonl"),
        ("model.tiny.dropout=1.0", "model.tiny.dropout must be at least 0 and below 1, got 1.0"),
        ("model.tiny.dropout=-0.1", "model.tiny.dropout must be at least 0 and below 1"),
        ("model.tiny.pretrain.sentences=-5", "model.tiny.pretrain.sentences must be 0 \\(off\\) or more, got -5"),
        ("model.tiny.pretrain.mlm_probability=1.5", "model.tiny.pretrain.mlm_probability must be between 0 and 1"),
        ("model.tiny.pretrain.corpora=[]", "model.tiny.pretrain.corpora must name one or more corpus folders"),
    ],
)
def test_bad_values_are_named_before_anything_loads(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config("configs/tiny.yaml", [*FIXTURE_DATA, override])


def test_only_the_tiny_bert_is_pretrained_here():
    with pytest.raises(ConfigError, match="'aubmindlab/bert-base-arabertv02' is already pretrained"):
        load_config("configs/arabert.yaml", [*FIXTURE_DATA, "model.tiny.pretrain.sentences=1000"])
    with pytest.raises(ConfigError, match="model.kind 'tfidf' has no encoder to pretrain"):
        load_config("configs/tfidf.yaml", [*FIXTURE_DATA, "model.tiny.pretrain.sentences=1000"])


def test_a_corpus_folder_that_holds_no_corpus_is_refused_saying_where_to_get_one(tmp_path):
    with pytest.raises(ConfigError, match=r"model.tiny.pretrain.corpora: .*no corpus archives here.*SaudiNewsNet"):
        load_config("configs/tiny.yaml", [*FIXTURE_DATA, "model.tiny.pretrain.sentences=1000",
                                          f"model.tiny.pretrain.corpora=[{tmp_path}]"])


def test_override_must_have_a_key_and_a_value():
    with pytest.raises(ConfigError, match="key.sub=value"):
        apply_override({}, "training.learning_rate")


def test_an_unreachable_hub_model_fails_at_once_naming_both_ways_out(monkeypatch):
    from train.run import check_reachable

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigError) as caught:
        check_reachable("aubmindlab/no-such-model-here")
    assert "local copy of the model" in str(caught.value) and "configs/tiny.yaml" in str(caught.value)


def test_trainer_strings_that_yaml_1_1_reads_as_booleans_stay_strings():
    from transformers.trainer_utils import IntervalStrategy

    from train.run import training_arguments

    config = load_config("configs/tiny.yaml", [*FIXTURE_DATA, "training.eval_strategy=no", "training.save_strategy=no",
                                               "training.load_best_model_at_end=off", "class_weights=yes"])
    assert config.training["eval_strategy"] == "no" and config.training["load_best_model_at_end"] is False
    assert config.class_weights is True
    arguments = training_arguments(config, config.run_dir)
    assert arguments.eval_strategy == IntervalStrategy.NO and arguments.load_best_model_at_end is False


@pytest.mark.parametrize("override", ["training.eval_strategy=sometimes", "data.train=tests/fixtures/bad-labels.jsonl"])
def test_a_bad_trainer_value_or_data_file_leaves_the_run_folder_unwritten(tmp_path, override):
    from model.data import DataError
    from train.run import run

    (tmp_path / "bad-labels.jsonl").write_text('{"id": "a-1", "text": "نص", "label": "Denial", "doc_id": "a", "source": "s"}\n')
    override = override.replace("tests/fixtures/bad-labels.jsonl", str(tmp_path / "bad-labels.jsonl"))
    run_dir = tmp_path / "run"
    with pytest.raises((ConfigError, DataError)):
        run(load_config("configs/tiny.yaml", [*FIXTURE_DATA, f"output_dir={run_dir}", override]))
    assert not run_dir.exists()
    from train.run_dir import check_run_dir

    corrected = load_config("configs/tiny.yaml", [*FIXTURE_DATA, f"output_dir={run_dir}"])
    assert check_run_dir(corrected) == run_dir  # the corrected command is not refused


@pytest.mark.parametrize("value", ["[saudinewsnet, reuters]", "[]"])
def test_data_corpora_must_name_known_corpora(value):
    with pytest.raises(ConfigError, match="data.corpora must list one or more of saudinewsnet, ant"):
        load_config("configs/tiny.yaml", [*FIXTURE_DATA, f"data.corpora={value}"])


def test_data_corpora_keeps_the_rows_of_the_corpora_named():
    from model.data import Example
    from train.run import select_corpora

    rows = [Example("a", "نص", "report", "d1", "sabq", 1, "saudinewsnet"), Example("b", "نص", "report", "d2", "BBC", 1, "ant")]
    assert [e.id for e in select_corpora(rows, ["ant"], "train.jsonl")] == ["b"]
    assert select_corpora(rows, None, "train.jsonl") == rows
    with pytest.raises(ConfigError, match="train.jsonl has no such rows"):
        select_corpora(rows[:1], ["ant"], "train.jsonl")
