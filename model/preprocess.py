"""Text preparation, applied identically in training and inference: Unicode normalisation, then
AraBERT preprocessing.

NFKC turns Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFF, common in text copied from
PDFs) into ordinary letters, which the preprocessor and the vocabularies know. The
`arabert` package's ArabertPreprocessor does the rest. Both choices are recorded in every
saved tagger (tagger.json), so a tagger always prepares text the way it was trained.
"""

import unicodedata
from collections.abc import Callable
from functools import lru_cache

DEFAULT_MODEL = "aubmindlab/bert-base-arabertv02"
"""The users' default base model, and the preprocessing family of every shipped config."""

OFFLINE_FAMILIES = ("arabertv02", "arabertv2-")
"""Preprocessor families that run offline (no Farasa segmenter download)."""


DEFAULT_NORMALIZATION = "NFKC"
"""The normalisation of every tagger trained now (tagger.json records it; older ones have none)."""


def text_preparation(normalization: str | None, preprocessing: str | None) -> Callable[[str], str]:
    """The function from raw text to model input text: normalisation (None: none), then preprocessing."""
    preprocess = preprocessing_for(preprocessing)
    if normalization is None:
        return preprocess

    def prepare(text: str) -> str:
        return preprocess(unicodedata.normalize(normalization, text))

    return prepare


def preprocessing_for(model_name: str | None) -> Callable[[str], str]:
    """A function mapping raw text to model input text for `model_name` (None: identity)."""
    if not model_name:
        return _identity
    return _arabert(model_name).preprocess


def check_offline_family(model_name: str | None) -> None:
    """Raise ValueError when `model_name` needs Farasa, which downloads a binary at run time."""
    if model_name and "arabertv02" not in model_name and "arabert" in model_name:
        raise ValueError(
            f"preprocessing for {model_name!r} needs the Farasa segmenter, which downloads a binary "
            "at run time; use an arabertv02 model (e.g. aubmindlab/bert-base-arabertv02)"
        )


@lru_cache(maxsize=4)
def _arabert(model_name: str):
    check_offline_family(model_name)
    from arabert.preprocess import ArabertPreprocessor  # imported late: it pulls in emoji and pyarabic

    return ArabertPreprocessor(model_name=model_name)


def _identity(text: str) -> str:
    return text
