"""Every tagger kind answers the same interface in the same way: one conformance suite run over each.

    tagger = Tagger.from_pretrained(folder)          # whatever the kind
    tagger.predict(sentences); tagger.predict_proba(sentences); tagger.save_pretrained(folder)
"""

from dataclasses import replace

import numpy as np
import pytest
import torch

from model import Tagger
from model.cue_tagger import CueTagger
from model.data import read_examples
from model.labels import LABELS
from model.preprocess import DEFAULT_MODEL
from model.settings import TaggerSettings
from model.tfidf import TfidfTagger
from model.transformer_tagger import TransformerTagger
from train.config import TinyModelConfig
from train.tiny import build_model, train_tokenizer

KINDS = ["transformer", "onnx", "tfidf", "cues"]
SENTENCES = ["نفى الوزير الخبر جملة وتفصيلا.", "وقالت مصادر مطلعة إن الصفقة تمت.", "افتتح الأمير المعرض أمس.",
             "وكانت الحكومة قد أعلنت الخطة في عام 2010.", "الطقس حار."]


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    """One tagger of each kind, as made by the package (not loaded from disk)."""
    train = read_examples("tests/fixtures/train.jsonl")
    torch.manual_seed(0)
    tokenizer = train_tokenizer([e.text for e in train], vocab_size=300)
    sizes = TinyModelConfig(vocab_size=300, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                            intermediate_size=64)
    transformer = TransformerTagger(build_model(sizes, len(tokenizer), 64), tokenizer,
                                    TaggerSettings(max_length=64, normalization="NFKC", preprocessing=DEFAULT_MODEL,
                                                   temperature=1.3), device="cpu")
    from model.onnx_tagger import export_int8

    onnx_folder = tmp_path_factory.mktemp("onnx") / "int8"
    export_int8(transformer, onnx_folder)
    tfidf = TfidfTagger.fit([e.text for e in train], [e.label for e in train], preprocessing=DEFAULT_MODEL)
    return {"transformer": transformer, "onnx": Tagger.from_pretrained(onnx_folder), "tfidf": tfidf,
            "cues": CueTagger()}


@pytest.mark.parametrize("kind", KINDS)
def test_probabilities_are_rows_of_four_that_sum_to_one_in_classes_order(fitted, kind):
    tagger = fitted[kind]
    probabilities = tagger.predict_proba(SENTENCES)
    assert probabilities.shape == (len(SENTENCES), 4) and tagger.classes_ == LABELS
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    predictions = tagger.predict(SENTENCES)
    assert [p.label for p in predictions] == [LABELS[i] for i in probabilities.argmax(axis=1)]
    assert [p.score for p in predictions] == pytest.approx(probabilities.max(axis=1).tolist(), rel=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_input_order_is_kept_whatever_the_batching(fitted, kind):
    tagger = fitted[kind]
    together = tagger.predict_proba(SENTENCES, batch_size=2)
    alone = np.vstack([tagger.predict_proba([s]) for s in SENTENCES])
    # int8 quantizes activations with a scale taken from each batch, so batch-mates move it a little
    np.testing.assert_allclose(together, alone, atol=1e-3 if kind == "onnx" else 1e-5)
    assert [p.text for p in tagger.predict(SENTENCES)] == SENTENCES


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_is_refused_naming_the_item(fitted, kind):
    tagger = fitted[kind]
    with pytest.raises(TypeError, match="not a single string"):
        tagger.predict("نفى الوزير الخبر")
    with pytest.raises(ValueError, match="^sentence 1 is a NoneType"):
        tagger.predict(["نص", None])
    with pytest.raises(ValueError, match="^sentence 0 is empty"):
        tagger.predict_proba(["  "])
    with pytest.raises(ValueError, match="batch_size must be"):
        tagger.predict(SENTENCES, batch_size=0)
    with pytest.raises(ValueError, match="without context"):
        tagger.predict(SENTENCES, contexts=SENTENCES)
    assert tagger.predict([]) == [] and tagger.predict_proba([]).shape == (0, 4)


@pytest.mark.parametrize("kind", ["transformer", "onnx", "tfidf"])
def test_the_temperature_divides_the_logits_once(fitted, kind):
    tagger = fitted[kind]
    original = tagger.settings
    try:
        tagger.settings = replace(original, temperature=1.0)
        plain = tagger.predict_proba(SENTENCES)
        tagger.settings = replace(original, temperature=2.0)
        scaled = tagger.predict_proba(SENTENCES)
    finally:
        tagger.settings = original
    expected = np.exp(np.log(plain) / 2.0)
    np.testing.assert_allclose(scaled, expected / expected.sum(axis=1, keepdims=True), atol=1e-5)


def test_the_cue_kind_gives_fixed_probabilities_and_no_temperature_applies(fitted):
    tagger = CueTagger(TaggerSettings(kind="cues", temperature=5.0))
    assert tagger.scores_are_probabilities
    np.testing.assert_allclose(tagger.predict_proba(SENTENCES), fitted["cues"].predict_proba(SENTENCES))
    assert sorted(set(np.round(tagger.predict_proba(SENTENCES).ravel(), 6))) == [0.1, 0.7]


@pytest.mark.parametrize("kind", KINDS)
def test_save_then_load_gives_the_fitted_model_s_predictions(fitted, kind, tmp_path):
    tagger = fitted[kind]
    tagger.save_pretrained(tmp_path / "saved")
    loaded = Tagger.from_pretrained(tmp_path / "saved")
    assert type(loaded) is type(tagger) and loaded.settings == tagger.settings
    np.testing.assert_allclose(loaded.predict_proba(SENTENCES), tagger.predict_proba(SENTENCES), atol=1e-5)


def test_a_kind_specific_loader_refuses_another_kind(fitted, tmp_path):
    fitted["tfidf"].save_pretrained(tmp_path / "tfidf")
    with pytest.raises(ValueError, match="holds a tfidf tagger, not a transformer one"):
        TransformerTagger.from_pretrained(tmp_path / "tfidf")
