"""The tagger kinds, each a class in a module of its own: the one place a kind is registered.

tagger.json names the kind; `Tagger.from_pretrained` imports only that kind's module (so a
TF-IDF tagger loads without torch).
"""

import importlib

KINDS: dict[str, str] = {
    "transformer": "model.transformer_tagger:TransformerTagger",
    "onnx": "model.onnx_tagger:OnnxTagger",
    "tfidf": "model.tfidf:TfidfTagger",
    "cues": "model.cue_tagger:CueTagger",
}


def tagger_class(kind: str):
    """The class implementing `kind` (a subclass of model.tagger.Tagger)."""
    if kind not in KINDS:
        raise ValueError(f"unknown tagger kind {kind!r}; expected one of {', '.join(KINDS)}")
    module, _, name = KINDS[kind].partition(":")
    return getattr(importlib.import_module(module), name)
