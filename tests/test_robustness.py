"""Bad input, corrupt or unsafe files, and impossible configs get clear errors that say what and where."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.cue_tagger import CueTagger
from model import Tagger
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
    folder.mkdir()
    TaggerSettings(kind="transformer").save(folder)  # a transformer tagger.json, no weights
    return folder


def test_a_tagger_folder_without_weights_names_what_is_missing(saved):
    with pytest.raises(FileNotFoundError, match="not a complete transformer tagger: missing config.json, "
                                                "model.safetensors or model.safetensors.index.json"):
        Tagger.from_pretrained(saved)


def test_pickled_weights_are_refused_not_loaded(saved):
    (saved / "config.json").write_text("{}")
    (saved / "tokenizer.json").write_text("{}")
    (saved / "pytorch_model.bin").write_bytes(b"\x80\x04not really a pickle")
    with pytest.raises(ValueError, match=r"only in pytorch_model.bin \(pickle\), which this package never loads"):
        Tagger.from_pretrained(saved)


def test_corrupt_settings_file_names_the_file(saved):
    (saved / "tagger.json").write_text("{broken")
    with pytest.raises(ValueError, match=r"tagger.json: not valid JSON"):
        Tagger.from_pretrained(saved)


def test_unknown_kind_is_named(saved):
    (saved / "tagger.json").write_text(json.dumps({"kind": "magic"}))
    with pytest.raises(ValueError, match="unknown tagger kind 'magic'"):
        Tagger.from_pretrained(saved)


def test_labels_that_differ_from_the_package_are_refused(saved):
    (saved / "tagger.json").write_text(json.dumps({"kind": "cues", "labels": ["a", "b", "c", "d"]}))
    with pytest.raises(ValueError, match="differ from this package's"):
        Tagger.from_pretrained(saved)


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


PRESENTATION_FORMS = "ﻻ ﻧﻔﻰ ﺍﻟﻜﺮﻣﻠﻴﻦ ﺍﻟﺘﻘﺎﺭﻳﺮ"  # as text copied from a PDF often is
LETTERS = "لا نفى الكرملين التقارير"


def test_presentation_forms_are_read_as_the_letters_they_show():
    from model.preprocess import DEFAULT_MODEL, text_preparation

    prepare = text_preparation("NFKC", DEFAULT_MODEL)
    assert prepare(PRESENTATION_FORMS) == prepare(LETTERS) != ""
    prediction = CueTagger().predict([PRESENTATION_FORMS])[0]
    assert (prediction.label, prediction.has_arabic) == ("denial", True)


def test_a_tagger_saved_before_normalisation_keeps_seeing_its_inputs_as_it_did(saved):
    (saved / "tagger.json").write_text(json.dumps({"kind": "cues", "preprocessing": None}))
    assert TaggerSettings.from_file(saved / "tagger.json").normalization is None


@pytest.mark.parametrize("field, value, message", [
    ("temperature", 0, "temperature must be a finite number above 0"),
    ("temperature", -1.5, "temperature must be a finite number above 0"),
    ("temperature", float("nan"), "temperature must be a finite number above 0"),
    ("max_length", 1, "max_length must be a whole number of at least 8"),
    ("normalization", "NFD", "normalization must be null or one of NFKC"),
])
def test_every_tagger_json_value_is_checked_on_load(saved, field, value, message):
    (saved / "tagger.json").write_text(json.dumps({"kind": "cues", field: value}))
    with pytest.raises(ValueError, match=rf"tagger.json: {message}"):
        Tagger.from_pretrained(saved)


def test_a_max_length_beyond_the_model_s_positions_is_refused_on_load(tmp_path):
    from transformers import BertConfig, BertForSequenceClassification

    from model.labels import ID2LABEL, LABEL2ID
    from model.transformer_tagger import TransformerTagger
    from train.tiny import train_tokenizer

    tokenizer = train_tokenizer(["نفى الوزير الخبر", "قال الوزير"], vocab_size=60)
    model = BertForSequenceClassification(BertConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1,
                                                     num_attention_heads=2, intermediate_size=32,
                                                     max_position_embeddings=64, id2label=dict(ID2LABEL),
                                                     label2id=dict(LABEL2ID)))
    TransformerTagger(model, tokenizer, TaggerSettings(max_length=64)).save_pretrained(tmp_path / "m")
    settings = json.loads((tmp_path / "m" / "tagger.json").read_text())
    (tmp_path / "m" / "tagger.json").write_text(json.dumps({**settings, "max_length": 100000}))
    with pytest.raises(ValueError, match="max_length 100000 exceeds the model's 64 positions"):
        Tagger.from_pretrained(tmp_path / "m")


def test_a_mistyped_local_path_is_reported_at_once_not_looked_up_on_the_hub(tmp_path, monkeypatch):
    import huggingface_hub

    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs").mkdir()
    monkeypatch.setattr(huggingface_hub, "snapshot_download", lambda *a, **k: pytest.fail("asked the hub"))
    with pytest.raises(FileNotFoundError, match="runs/tinyy: no such tagger folder"):
        Tagger.from_pretrained("runs/tinyy")


def test_data_that_is_not_utf8_is_named_by_file_and_line(tmp_path):
    from model.data import DataError, read_examples

    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"id": "a-1", "text": "\xd9\x86\xd8\xb5", "label": "report", "doc_id": "a", "source": "s"}\n'
                     b'{"id": "a-2", "text": "\xff\xfe", "label": "report", "doc_id": "a", "source": "s"}\n')
    with pytest.raises(DataError, match=r"bad.jsonl:2: not UTF-8"):
        read_examples(path)


def test_an_untrainable_kind_is_refused_by_the_config():
    with pytest.raises(ConfigError, match="model.kind must be one of transformer, tfidf, cues, got 'onnx'"):
        load_config("configs/tiny.yaml", [*FIXTURE_DATA, "model.kind=onnx"])


def test_command_line_mistakes_get_one_line_and_exit_code_2(saved, tmp_path, capsys, monkeypatch):
    from eval.__main__ import main as eval_main
    from model.__main__ import main as model_main

    cues = tmp_path / "cues"
    CueTagger().save_pretrained(cues)
    article = tmp_path / "a.txt"
    article.write_text("نفى الوزير الخبر.", encoding="utf-8")
    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    assert model_main(["tag", "--model", str(cues), str(article), "--device", "cuda"]) == 2
    assert "CUDA is not available" in capsys.readouterr().err
    (tmp_path / "report.txt").write_text("mine")
    assert eval_main(["--model", str(cues), "--data", "tests/fixtures/test.jsonl", "--out", str(tmp_path / "report.txt")]) == 2
    assert "is a file" in capsys.readouterr().err and (tmp_path / "report.txt").read_text() == "mine"
    with pytest.raises(SystemExit) as stopped:
        eval_main(["--model", str(cues), "--data", "tests/fixtures/test.jsonl", "--out", str(tmp_path / "r"),
                   "--resamples", "0"])
    assert stopped.value.code == 2


def test_a_damaged_weights_file_gets_one_line_not_a_traceback(tmp_path, capsys):
    from transformers import BertConfig, BertForSequenceClassification

    from model.__main__ import main as model_main
    from model.labels import ID2LABEL, LABEL2ID
    from model.transformer_tagger import TransformerTagger
    from train.tiny import train_tokenizer

    tokenizer = train_tokenizer(["نفى الوزير الخبر", "قال الوزير"], vocab_size=60)
    model = BertForSequenceClassification(BertConfig(vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1,
                                                     num_attention_heads=2, intermediate_size=32,
                                                     id2label=dict(ID2LABEL), label2id=dict(LABEL2ID)))
    TransformerTagger(model, tokenizer, TaggerSettings(max_length=64)).save_pretrained(tmp_path / "m")
    weights = tmp_path / "m" / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    article = tmp_path / "a.txt"
    article.write_text("نفى الوزير الخبر.", encoding="utf-8")
    capsys.readouterr()  # saving's progress bars
    assert model_main(["tag", "--model", str(tmp_path / "m"), str(article)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: ") and "cannot load the model" in error and "\n" not in error


def test_a_corrupt_report_is_named_by_compare(tmp_path, capsys):
    from eval.compare import main as compare_main

    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "metrics.json").write_text("{not json")
        (tmp_path / name / "predictions.jsonl").write_text("")
    assert compare_main([str(tmp_path / "a"), str(tmp_path / "b")]) == 2
    assert "not a readable evaluation report" in capsys.readouterr().err
