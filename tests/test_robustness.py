"""Bad input, corrupt or unsafe files, and impossible configs get clear errors that say what and where."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.cue_tagger import CueTagger
from model.loading import load_tagger
from model.settings import TaggerSettings
from train.config import ConfigError, load_config

FIXTURE_DATA = [*(f"data.{s}=tests/fixtures/{s}.jsonl" for s in ("train", "dev", "test")), "data.articles=null"]

items = st.one_of(st.text(max_size=30), st.just(""), st.just("   "), st.none(), st.integers(), st.binary(max_size=4))


@given(st.lists(items, max_size=12))
def test_predict_accepts_strings_and_names_the_first_bad_item(sentences):
    tagger = CueTagger()
    bad = [i for i, s in enumerate(sentences) if not isinstance(s, str) or not s.strip()]
    if bad:
        with pytest.raises(ValueError, match=rf"^sentence {bad[0]} "):
            tagger.predict(sentences)
    else:
        predictions = tagger.predict(sentences)
        assert [p.text for p in predictions] == sentences


def test_predict_refuses_a_bare_string():
    with pytest.raises(TypeError, match="not a single string"):
        CueTagger().predict("نفى الوزير الخبر")


def test_text_without_arabic_letters_is_flagged():
    first, second = CueTagger().predict(["12345 !!", "نفى الوزير الخبر"])
    assert (first.has_arabic, second.has_arabic) == (False, True)


@pytest.fixture
def saved(tmp_path):
    folder = tmp_path / "model"
    CueTagger(TaggerSettings(kind="transformer")).save_pretrained(folder)  # a transformer tagger.json, no weights
    return folder


def test_a_tagger_folder_without_weights_names_what_is_missing(saved):
    with pytest.raises(FileNotFoundError, match="not a complete transformer tagger: missing config.json, "
                                                "model.safetensors or model.safetensors.index.json"):
        load_tagger(saved)


def test_pickled_weights_are_refused_not_loaded(saved):
    (saved / "config.json").write_text("{}")
    (saved / "tokenizer.json").write_text("{}")
    (saved / "pytorch_model.bin").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(ValueError, match=r"only in pytorch_model.bin \(pickle\), which this package never loads"):
        load_tagger(saved)


def test_corrupt_settings_file_names_the_file(saved):
    (saved / "tagger.json").write_text("{broken")
    with pytest.raises(ValueError, match=r"tagger.json: not valid JSON"):
        load_tagger(saved)


def test_unknown_kind_is_named(saved):
    (saved / "tagger.json").write_text(json.dumps({"kind": "magic"}))
    with pytest.raises(ValueError, match="unknown tagger kind 'magic'"):
        load_tagger(saved)


def test_labels_that_differ_from_the_package_are_refused(saved):
    (saved / "tagger.json").write_text(json.dumps({"kind": "cues", "labels": ["a", "b", "c", "d"]}))
    with pytest.raises(ValueError, match="differ from this package's"):
        load_tagger(saved)


@pytest.mark.parametrize(
    "override, message",
    [
        ("training.per_device_train_batch_size=0", "per_device_train_batch_size must be a whole number of at least 1"),
        ("training.num_train_epochs=-2", "num_train_epochs must be positive"),
        ("model.tiny.hidden_size=101", "must be a multiple of num_attention_heads"),
        ("model.kind=bert", "model.kind must be one of"),
        ("model.tfidf.c=0", "model.tfidf.c must be positive"),
    ],
)
def test_impossible_values_stop_the_config_before_anything_loads(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config("configs/tiny.yaml", [*FIXTURE_DATA, override])


def test_max_length_over_the_base_model_s_limit_is_caught_before_its_weights_load(tmp_path):
    from transformers import BertConfig

    from train.run import load_base, training_arguments

    BertConfig(max_position_embeddings=64).save_pretrained(tmp_path / "small-bert")  # no weights at all
    config = load_config("configs/arabert.yaml", [*FIXTURE_DATA, f"model.name_or_path={tmp_path / 'small-bert'}"])
    with pytest.raises(ConfigError, match="model.max_length 256 exceeds .* limit of 64 positions"):
        load_base(config, [], tmp_path, training_arguments(config, tmp_path))
