"""Context: a sentence's position in its article (0: the title), read by taggers trained with it."""

import json

import pytest

from model import Tagger
from model.context import check_contexts, context_marker, with_context
from model.data import read_examples
from model.tag_file import tag_file
from model.tfidf import TfidfTagger
from train.config import ConfigError, load_config
from train.run import run

TITLE = "الوزارة تنفي إغلاق المعبر"
BODY = "نفت الوزارة ما تداولته وسائل الإعلام عن إغلاق المعبر.\nوكان المعبر قد افتتح عام 1990."


def test_positions_become_one_marker_per_bucket():
    assert [context_marker(p) for p in (None, 0, 1, 3, 5, 9, 40)] == [
        "", "ctx_title ", "ctx_p1 ", "ctx_p3 ", "ctx_p4to6 ", "ctx_p7to10 ", "ctx_p11plus "]
    assert with_context(["أ", "ب"], [0, None]) == ["ctx_title أ", "ب"]
    assert with_context(["أ"], None) == ["أ"]


def test_contexts_that_are_not_one_position_per_sentence_are_refused():
    with pytest.raises(ValueError, match="got 1 contexts for 2 sentences"):
        check_contexts([0], 2)
    with pytest.raises(ValueError, match=r"contexts\[1\]: expected a position"):
        check_contexts([0, -1], 2)
    with pytest.raises(ValueError, match="must be a list of positions"):
        check_contexts("0", 1)


@pytest.fixture(scope="module")
def tfidf_with_context():
    """Trained where titles and first sentences differ in label from the same words later on."""
    train = read_examples("tests/fixtures/train.jsonl")
    return TfidfTagger.fit([e.text for e in train], [e.label for e in train],
                           contexts=[0 if i % 4 == 0 else i % 12 + 1 for i in range(len(train))])


def test_a_tagger_trained_with_context_reads_positions_and_still_predicts_without_them(tfidf_with_context, tmp_path):
    tagger = tfidf_with_context
    tagger.save_pretrained(tmp_path / "tfidf")
    loaded = Tagger.from_pretrained(tmp_path / "tfidf")
    assert json.loads((tmp_path / "tfidf" / "tagger.json").read_text())["context"] is True
    sentence = ["نفت الشركة الخبر."]
    as_title, deep_in, unknown = (loaded.predict_proba(sentence, c)[0] for c in ([0], [15], None))
    assert not (as_title == deep_in).all()           # the position changes the scores
    assert len(unknown) == 4 and abs(unknown.sum() - 1) < 1e-5


def test_tag_article_numbers_the_title_0_and_the_body_from_1(tfidf_with_context):
    tagger = tfidf_with_context
    sentences = [TITLE, *BODY.split("\n")]
    expected = tagger.predict(sentences, [0, 1, 2])
    assert [p.probabilities for p in tagger.tag_article(BODY, title=TITLE)] == [p.probabilities for p in expected]
    assert [p.probabilities for p in tagger.tag_article(BODY)] == [p.probabilities for p in expected[1:]]


def test_tag_file_gives_a_text_files_sentences_their_positions(tfidf_with_context, tmp_path):
    tfidf_with_context.save_pretrained(tmp_path / "tfidf")
    (tmp_path / "article.txt").write_text(BODY, encoding="utf-8")
    tag_file(str(tmp_path / "article.txt"), str(tmp_path / "tfidf"), str(tmp_path / "out.jsonl"))
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = tfidf_with_context.predict(BODY.split("\n"), [1, 2])
    assert [r["prediction"]["probabilities"] for r in rows] == [p.probabilities for p in expected]


def test_a_tagger_without_context_refuses_contexts():
    train = read_examples("tests/fixtures/train.jsonl")
    plain = TfidfTagger.fit([e.text for e in train], [e.label for e in train])
    with pytest.raises(ValueError, match="trained without context"):
        plain.predict(["نفت الشركة الخبر."], [0])
    assert len(plain.tag_article(BODY, title=TITLE)) == 3


FIXTURES = ["data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/train.jsonl",
            "data.test=tests/fixtures/test.jsonl", "data.articles=null"]


def test_the_context_option_is_recorded_in_the_saved_tagger_of_a_run(tmp_path):
    run_dir = run(load_config("configs/tfidf.yaml", [*FIXTURES, "model.context=true", f"output_dir={tmp_path / 'run'}"]))
    assert json.loads((run_dir / "model" / "tagger.json").read_text())["context"] is True
    assert (run_dir / "reports" / "test" / "metrics.json").is_file()
    with pytest.raises(ConfigError, match="the cue rules take no context"):
        load_config("configs/cues.yaml", [*FIXTURES, "model.context=true"])


def test_a_transformer_trains_and_reports_with_context(tmp_path):
    small = ["model.tiny.vocab_size=600", "model.tiny.hidden_size=64", "model.tiny.intermediate_size=128",
             "training.num_train_epochs=2", "training.per_device_train_batch_size=8", "early_stopping_patience=0"]
    run_dir = run(load_config("configs/tiny.yaml", [*FIXTURES, *small, "model.context=true",
                                                    f"output_dir={tmp_path / 'run'}"]))
    tagger = Tagger.from_pretrained(run_dir / "model")
    assert tagger.settings.context
    assert len(tagger.tag_article(BODY, title=TITLE)) == 3
    rows = (run_dir / "reports" / "test" / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(read_examples("tests/fixtures/test.jsonl"))
