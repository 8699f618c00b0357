"""Sentence roles in Arabic news: labels, preprocessing, sentence splitting and the Tagger.

    from model import Tagger, LABELS, split_sentences
"""

from model.labels import LABELS
from model.splitter import split_sentences

__all__ = ["LABELS", "Tagger", "Prediction", "split_sentences"]


def __getattr__(name: str):
    # The Tagger pulls in torch and transformers: load them only when asked for.
    if name in ("Tagger", "Prediction"):
        from model import tagger

        return getattr(tagger, name)
    raise AttributeError(f"module 'model' has no attribute {name!r}")
