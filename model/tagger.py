"""One interface for every tagger kind, and the one loader of them all.

    tagger = Tagger.from_pretrained("runs/tiny/model")      # any kind: transformer, onnx, tfidf, cues
    tagger.predict(["نفى الكرملين التقارير."])[0].label      # 'denial'
    tagger.predict_proba(sentences)                          # n x 4 array, columns in tagger.classes_
    tagger.tag_article(open("article.txt").read(), title="...")

A kind (a subclass registered in model/kinds.py) says only how prepared sentences become
scores (`_scores`) and how it reads and writes its own files (`_load`, `_save_files`).
This class does the rest, the same way for every kind: input checks, normalisation and
preprocessing (as recorded in tagger.json), scores to probabilities (one softmax, one
temperature), Predictions in input order, saving the folder, and choosing the kind on load.
"""

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import numpy as np

from model.cli import check_count
from model.context import article_positions, check_contexts, with_context
from model.io import write_folder
from model.kinds import tagger_class
from model.labels import LABELS
from model.prediction import Prediction, check_sentences, make_prediction
from model.preprocess import text_preparation
from model.settings import SETTINGS_FILE, TaggerSettings, local_folder, read_settings
from model.splitter import split_sentences

PICKLE_WEIGHTS = ("pytorch_model.bin", "model.pt", "model.pkl", "tfidf.pkl")


class Tagger(ABC):
    """predict(sentences) -> one Prediction per sentence, in input order; predict_proba -> an n x 4 array."""

    kind: ClassVar[str]
    description: ClassVar[str]
    """What the model is, in a few words (the model card's base model when it has none)."""
    library_name: ClassVar[str | None] = None
    """The Hugging Face model card's library_name: the library that can load the folder without this package."""
    required_files: ClassVar[tuple[tuple[str, ...], ...]] = ()
    """Files a saved folder of this kind needs (any one of each tuple)."""
    scores_are_probabilities: ClassVar[bool] = False
    """True for a kind whose scores are already probabilities: no softmax, no temperature."""
    classes_: ClassVar[tuple[str, ...]] = LABELS
    """The column order of predict_proba."""

    def __init__(self, settings: TaggerSettings):
        if settings.kind != self.kind:
            raise ValueError(f"settings of a {settings.kind} tagger given to the {self.kind} kind")
        self.settings = settings
        self._prepare = text_preparation(settings.normalization, settings.preprocessing)

    @classmethod
    def from_pretrained(cls, path_or_name: str | os.PathLike, device: str | None = None,
                        threads: int | None = None) -> "Tagger":
        """Load a saved tagger of any kind from a folder or a Hugging Face hub name; tagger.json says which."""
        if device is not None:
            from model.device import choose_device  # torch, imported only when a device is named

            choose_device(device)  # an unknown or absent device is a mistake whatever the kind
        folder = local_folder(str(path_or_name))
        settings = read_settings(folder)
        kind = tagger_class(settings.kind)
        if not issubclass(kind, cls):
            raise ValueError(f"{path_or_name} holds a {settings.kind} tagger, not a {cls.kind} one; "
                             "load it with model.Tagger.from_pretrained")
        _check_files(folder, kind)
        return kind._load(folder, settings, device=device, threads=threads)

    def save_pretrained(self, directory: str | os.PathLike, card: str | None = None) -> None:
        """Write the folder (this kind's files, tagger.json and the model card); a reader never sees half of it."""

        def fill(staging: Path) -> None:
            self._save_files(staging)
            self.settings.save(staging, card)

        write_folder(directory, fill, replaceable=is_tagger_folder)

    def predict(self, sentences: Sequence[str], contexts: Sequence[int | None] | None = None,
                batch_size: int | None = None) -> list[Prediction]:
        """The role of each sentence: its label, that label's probability, all four, truncation, Arabic or not.

        `contexts`, for a tagger trained with context only: each sentence's position in its article
        (0: the title, 1: the body's first sentence; None: unknown). Without them it still predicts."""
        probabilities, truncated = self._probabilities(sentences, contexts, batch_size)
        return [make_prediction(s, p, t) for s, p, t in zip(sentences, probabilities.tolist(), truncated)]

    def predict_proba(self, sentences: Sequence[str], contexts: Sequence[int | None] | None = None,
                      batch_size: int | None = None) -> np.ndarray:
        """Probabilities of each label (columns in `classes_` order), one row per sentence."""
        return self._probabilities(sentences, contexts, batch_size)[0]

    def tag_article(self, text: str, batch_size: int | None = None, title: str | None = None) -> list[Prediction]:
        """Split an article into sentences and predict the role of each (the title's first, when given).

        A tagger trained with context gets each sentence's position (the title 0, the body from 1)."""
        title = title.strip() if title and title.strip() else None
        body = split_sentences(text)
        sentences = ([title] if title else []) + body
        if not sentences:
            return []
        contexts = article_positions(title is not None, len(body)) if self.settings.context else None
        return self.predict(sentences, contexts=contexts, batch_size=batch_size)

    def _probabilities(self, sentences, contexts, batch_size) -> tuple[np.ndarray, list[bool]]:
        check_sentences(sentences)
        if contexts is not None:
            if not self.settings.context:
                raise ValueError(f"this {self.kind} tagger was trained without context; call predict(sentences) alone")
            check_contexts(contexts, len(sentences))
        if batch_size is not None:
            check_count("batch_size", batch_size)
        if not sentences:
            return np.empty((0, len(LABELS)), dtype=np.float32), []
        scores, truncated = self._scores(with_context([self._prepare(s) for s in sentences], contexts), batch_size)
        if self.scores_are_probabilities:
            return scores, truncated
        return softmax(scores / self.settings.temperature), truncated

    @abstractmethod
    def _scores(self, texts: list[str], batch_size: int | None) -> tuple[np.ndarray, list[bool]]:
        """Scores (n x 4, logits unless scores_are_probabilities) of prepared texts, and which were truncated."""

    @classmethod
    @abstractmethod
    def _load(cls, folder: Path, settings: TaggerSettings, device: str | None, threads: int | None) -> "Tagger":
        """Read this kind's files from a complete folder."""

    @abstractmethod
    def _save_files(self, folder: Path) -> None:
        """Write this kind's own files (not tagger.json, not the card) into `folder`."""


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable, as float32."""
    shifted = np.asarray(scores, dtype=np.float64)
    shifted = np.exp(shifted - shifted.max(axis=1, keepdims=True))
    return (shifted / shifted.sum(axis=1, keepdims=True)).astype(np.float32)


def is_tagger_folder(folder: Path) -> bool:
    """Whether `folder` holds a saved tagger (which saving may replace)."""
    return (Path(folder) / SETTINGS_FILE).is_file()


def _check_files(folder: Path, kind: type[Tagger]) -> None:
    missing = [" or ".join(options) for options in kind.required_files
               if not any((folder / name).is_file() for name in options)]
    pickled = [name for name in PICKLE_WEIGHTS if (folder / name).is_file()]
    if missing and pickled:
        raise ValueError(
            f"{folder}: weights are only in {', '.join(pickled)} (pickle), which this package never loads; "
            "convert them to safetensors (model.save_pretrained(folder, safe_serialization=True))"
        )
    if missing:
        raise FileNotFoundError(f"{folder} is not a complete {kind.kind} tagger: missing {', '.join(missing)}")
