"""AraBERT text preprocessing, applied identically in training and inference.

The `arabert` package's ArabertPreprocessor does the work; which model family it
was set up for is recorded in every saved tagger (tagger.json), so a tagger always
preprocesses the way it was trained.
"""

from collections.abc import Callable
from functools import lru_cache

DEFAULT_MODEL = "aubmindlab/bert-base-arabertv02"
"""The users' default base model, and the preprocessing family of every shipped config."""

OFFLINE_FAMILIES = ("arabertv02", "arabertv2-")
"""Preprocessor families that run offline (no Farasa segmenter download)."""


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
