"""One loader for every tagger kind: it reads tagger.json and returns an object with `predict`."""

import os

from model.base import SentenceTagger
from model.settings import read_settings


def load_tagger(path_or_name: str | os.PathLike, device: str | None = None, threads: int | None = None) -> SentenceTagger:
    """Load a saved tagger of any kind (transformer, onnx, tfidf, cues) from a folder or hub name."""
    settings = read_settings(str(path_or_name))
    if settings.kind == "transformer":
        from model.tagger import Tagger

        return Tagger.from_pretrained(path_or_name, device=device, threads=threads)
    if settings.kind == "onnx":
        from model.onnx_tagger import OnnxTagger

        return OnnxTagger.from_pretrained(path_or_name, threads=threads)
    if settings.kind == "tfidf":
        from model.tfidf import TfidfTagger

        return TfidfTagger.from_pretrained(path_or_name)
    from model.cue_tagger import CueTagger

    return CueTagger(settings)
