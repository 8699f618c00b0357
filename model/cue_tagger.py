"""The cue-word kind: the spec's decision procedure applied to cue words alone (no training).

Its scores are fixed probabilities (0.7 for the rule's label, 0.1 for each other), not
logits: no softmax and no temperature apply to them, and none is fitted.
"""

from pathlib import Path

import numpy as np

from model.cues import cue_label
from model.labels import LABEL2ID, LABELS
from model.preprocess import DEFAULT_NORMALIZATION
from model.settings import TaggerSettings
from model.tagger import Tagger

CONFIDENCE = 0.7
"""Probability given to the rule's label (the rest shared by the others): a fixed guess, not learned."""


class CueTagger(Tagger):
    """Labels by the first cue of the spec's procedure that a sentence holds; no cue: background."""

    kind = "cues"
    description = "cue-word rules"
    scores_are_probabilities = True

    def __init__(self, settings: TaggerSettings | None = None):
        super().__init__(settings or TaggerSettings(kind="cues", normalization=DEFAULT_NORMALIZATION))

    @classmethod
    def _load(cls, folder: Path, settings: TaggerSettings, device=None, threads=None) -> "CueTagger":
        return cls(settings)

    def _save_files(self, folder: Path) -> None:
        """Nothing beyond tagger.json: the rules are the package's cue lexicon."""

    def _scores(self, texts: list[str], batch_size: int | None) -> tuple[np.ndarray, list[bool]]:
        rest = (1 - CONFIDENCE) / (len(LABELS) - 1)
        scores = np.full((len(texts), len(LABELS)), rest, dtype=np.float32)
        for row, text in enumerate(texts):
            scores[row, LABEL2ID[cue_label(text) or "background"]] = CONFIDENCE
        return scores, [False] * len(texts)
