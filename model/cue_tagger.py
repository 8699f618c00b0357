"""The cue-word baseline: the spec's decision procedure applied to cue words alone (no training)."""

from collections.abc import Sequence
from pathlib import Path

from model.base import SentenceTagger
from model.cues import cue_label
from model.io import write_folder
from model.labels import LABELS
from model.prediction import Prediction, check_sentences, make_prediction
from model.settings import TaggerSettings

CONFIDENCE = 0.7
"""Probability given to the rule's label (the rest shared by the others): a fixed guess, not learned."""


class CueTagger(SentenceTagger):
    """Labels by the first cue of the spec's procedure that a sentence holds; no cue: background."""

    def __init__(self, settings: TaggerSettings | None = None):
        self.settings = settings or TaggerSettings(kind="cues", preprocessing=None)

    def save_pretrained(self, directory: str | Path, card: str | None = None) -> None:
        """Write tagger.json (kind: cues) and the model card, atomically."""
        write_folder(directory, lambda staging: self.settings.save(staging, card))

    def predict(self, sentences: Sequence[str], batch_size: int | None = None) -> list[Prediction]:
        check_sentences(sentences)
        rest = (1 - CONFIDENCE) / (len(LABELS) - 1)
        predictions = []
        for sentence in sentences:
            label = cue_label(sentence) or "background"
            predictions.append(make_prediction(sentence, [CONFIDENCE if l == label else rest for l in LABELS]))
        return predictions
