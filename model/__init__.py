"""Sentence roles in Arabic news: labels, preprocessing, sentence splitting and the Tagger.

    from model import Tagger, LABELS, split_sentences
    tagger = Tagger.from_pretrained("runs/tiny/model")     # any kind of saved tagger
"""

from model.labels import LABELS
from model.splitter import split_sentences

__all__ = ["LABELS", "Tagger", "Prediction", "split_sentences"]


def __getattr__(name: str):
    # loaded when asked for: a kind's module may pull in torch and transformers
    if name == "Tagger":
        from model.tagger import Tagger

        return Tagger
    if name == "Prediction":
        from model.prediction import Prediction

        return Prediction
    raise AttributeError(f"module 'model' has no attribute {name!r}")
