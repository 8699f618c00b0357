"""What the benchmarks and the full-size checks run on: real SaudiNewsNet sentences, and stand-ins for AraBERT.

A stand-in has AraBERT v0.2 base's exact configuration (BERT-base: 12 layers of 768, 12
heads, intermediate 3072, 512 positions, a 64,000-piece vocabulary) with random weights
and a WordPiece vocabulary trained offline on corpus text: the users' model, minus the
pretraining, which the hub holds and this machine cannot reach.
"""

import json
import random
import zipfile
from pathlib import Path

from model.corpora import SAUDINEWSNET_DIR, WHERE_TO_GET
from model.splitter import split_sentences

ARCHIVE = "2015-08-10"
ARABERT_V02 = {"vocab_size": 64_000, "hidden_size": 768, "num_hidden_layers": 12, "num_attention_heads": 12,
               "intermediate_size": 3072, "max_position_embeddings": 512, "type_vocab_size": 2}
"""aubmindlab/bert-base-arabertv02's config.json, the sizes that matter."""
SMALL = {"vocab_size": 8_000, "hidden_size": 128, "num_hidden_layers": 2, "num_attention_heads": 2,
         "intermediate_size": 256, "max_position_embeddings": 512, "type_vocab_size": 2}
"""A small model of the same shape, for dry runs."""


def corpus_sentences(n: int, seed: int = 0, archive: str = ARCHIVE, corpus_dir: Path = SAUDINEWSNET_DIR) -> list[str]:
    """`n` sentences of at least four words, drawn at random from one daily archive (repeated if needed)."""
    path = Path(corpus_dir) / f"{archive}.zip"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: the benchmarks read {WHERE_TO_GET['saudinewsnet']}")
    with zipfile.ZipFile(path) as handle:
        articles = json.loads(handle.read(f"{archive}.json"))
    pool = [s for a in articles for s in split_sentences(a.get("content") or "") if len(s.split()) >= 4]
    rng = random.Random(seed)
    rng.shuffle(pool)
    return [pool[i % len(pool)] for i in range(n)]


def arabert_standin(folder: Path, training_sentences: list[str], sizes: dict = ARABERT_V02) -> Path:
    """A base-model folder (BERT with random weights, WordPiece tokenizer) for `model.name_or_path`."""
    if (folder / "config.json").is_file():
        return folder
    from transformers import BertConfig, BertModel

    from model.preprocess import DEFAULT_MODEL, preprocessing_for
    from train.tiny import train_tokenizer

    prepare = preprocessing_for(DEFAULT_MODEL)
    tokenizer = train_tokenizer((prepare(s) for s in training_sentences), sizes["vocab_size"])
    BertModel(BertConfig(**sizes)).save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def base_sized_tagger(folder: Path, training_sentences: list[str]) -> Path:
    """A tagger around a full-size AraBERT stand-in (random weights, untrained classifier)."""
    if (folder / "tagger.json").is_file():
        return folder
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from model.labels import ID2LABEL, LABEL2ID
    from model.preprocess import DEFAULT_MODEL
    from model.settings import TaggerSettings
    from model.transformer_tagger import TransformerTagger

    base = arabert_standin(folder.with_name(folder.name + "-base"), training_sentences)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(LABEL2ID), id2label=dict(ID2LABEL), label2id=dict(LABEL2ID))
    settings = TaggerSettings(max_length=128, preprocessing=DEFAULT_MODEL)
    TransformerTagger(model, AutoTokenizer.from_pretrained(base), settings, device="cpu").save_pretrained(folder)
    return folder
