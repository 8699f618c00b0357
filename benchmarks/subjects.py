"""What the benchmarks run on: real SaudiNewsNet sentences, and the model folders to time."""

import json
import random
import zipfile
from pathlib import Path

from model.splitter import split_sentences

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "saudinewsnet"
ARCHIVE = "2015-08-10"
AREBERT_VOCAB = 64_000


def corpus_sentences(n: int, seed: int = 0, archive: str = ARCHIVE) -> list[str]:
    """`n` sentences of at least four words, drawn at random from one daily archive (repeated if needed)."""
    with zipfile.ZipFile(CORPUS / f"{archive}.zip") as handle:
        articles = json.loads(handle.read(f"{archive}.json"))
    pool = [s for a in articles for s in split_sentences(a.get("content") or "") if len(s.split()) >= 4]
    rng = random.Random(seed)
    rng.shuffle(pool)
    return [pool[i % len(pool)] for i in range(n)]


def base_sized_tagger(folder: Path, training_sentences: list[str]) -> Path:
    """A BERT-base-sized tagger (random weights) with a 64,000-word WordPiece vocabulary, like AraBERT's."""
    if (folder / "tagger.json").is_file():
        return folder
    from transformers import BertConfig, BertForSequenceClassification

    from model.labels import ID2LABEL, LABEL2ID
    from model.preprocess import DEFAULT_MODEL, preprocessing_for
    from model.settings import TaggerSettings
    from model.tagger import Tagger
    from train.tiny import train_tokenizer

    prepare = preprocessing_for(DEFAULT_MODEL)
    tokenizer = train_tokenizer((prepare(s) for s in training_sentences), AREBERT_VOCAB)
    config = BertConfig(vocab_size=len(tokenizer), num_labels=4, id2label=dict(ID2LABEL), label2id=dict(LABEL2ID))
    model = BertForSequenceClassification(config)
    Tagger(model, tokenizer, TaggerSettings(max_length=128, preprocessing=DEFAULT_MODEL), device="cpu").save_pretrained(folder)
    return folder
