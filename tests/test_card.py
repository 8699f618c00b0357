"""The model card's base_model is a hub id, never a path of this machine."""

from model.card import card_metadata


def test_a_hub_name_is_the_base_model():
    assert card_metadata("m", "transformer", "aubmindlab/bert-base-arabertv02", {})["base_model"] == \
        "aubmindlab/bert-base-arabertv02"


def test_a_local_copy_gives_the_base_model_its_own_card_names(tmp_path):
    imported = tmp_path / "models" / "e5-small"
    imported.mkdir(parents=True)
    (imported / "README.md").write_text("---\nlicense: mit\nbase_model: intfloat/multilingual-e5-small\n---\n\n# e5\n")
    assert card_metadata("m", "transformer", str(imported), {})["base_model"] == "intfloat/multilingual-e5-small"


def test_a_local_folder_without_a_card_and_the_tiny_model_name_no_base_model(tmp_path):
    (tmp_path / "models" / "mine").mkdir(parents=True)
    assert "base_model" not in card_metadata("m", "transformer", str(tmp_path / "models" / "mine"), {})
    assert "base_model" not in card_metadata("m", "transformer", "tiny", {})


def test_the_card_cites_every_corpus_the_model_trained_on():
    from model.card import render_card

    both = render_card("m", "tfidf", "", {"data": {"corpora": None}}, {})
    assert "SaudiNewsNet (M. Alhagri, 2015" in both and "Chouigui" in both and "DOI 10.1007/s13369-020-05258-z" in both
    assert "datasets:\n- saudinewsnet\n- ant" in both and "license: cc-by-nc-sa-4.0" in both
    ant_only = render_card("m", "tfidf", "", {"data": {"corpora": ["ant"]}}, {})
    assert "Alhagri" not in ant_only and "Chouigui" in ant_only and "license: other" in ant_only
