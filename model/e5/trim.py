"""Trim a multilingual vocabulary to the pieces a corpus uses (Ushio et al. 2023, "Efficient
multilingual language model compression through vocabulary trimming").

multilingual-e5-small spends 96M of its 118M parameters on 250,037 word embeddings, most
of them for other scripts. Kept: the special pieces and every piece the corpus tokenizes
into. Text of that corpus tokenizes exactly as before (its best segmentation only uses
kept pieces); other text may fall back to shorter pieces, and to <unk> only for a
character the corpus never has.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

import numpy as np
from transformers import PreTrainedTokenizerBase

BATCH = 2048


@dataclass(frozen=True)
class Coverage:
    """How a trimmed vocabulary serves some text, against the full one."""

    tokens: int
    """Pieces in the full vocabulary's tokenization of the text."""
    outside: float
    """Share of those pieces the trimmed vocabulary lacks (that text is re-segmented)."""
    unknown: float
    """Share of the trimmed tokenizer's pieces that are <unk>."""


def count_pieces(tokenizer: PreTrainedTokenizerBase, texts: Iterable[str]) -> np.ndarray:
    """How often each piece id occurs in the tokenization of `texts` (no special tokens)."""
    counts = np.zeros(len(tokenizer), dtype=np.int64)
    for batch in _batches(texts):
        ids = [i for row in tokenizer(batch, add_special_tokens=False, verbose=False)["input_ids"] for i in row]
        counts += np.bincount(np.asarray(ids, dtype=np.int64), minlength=len(counts))
    return counts


def kept_ids(tokenizer: PreTrainedTokenizerBase, counts: np.ndarray) -> list[int]:
    """Ascending ids of the special pieces, the pieces that occur, and the one-character pieces of every
    character that occurs (so that text of the same characters never needs <unk>)."""
    used = set(np.flatnonzero(counts).tolist())
    characters = {c for piece in tokenizer.convert_ids_to_tokens(sorted(used)) for c in piece.replace("▁", "")}
    singles = tokenizer.convert_tokens_to_ids([p for c in characters for p in (c, f"▁{c}")])
    return sorted(used | set(tokenizer.all_special_ids) | {i for i in singles if i != tokenizer.unk_token_id})


def coverage(full: PreTrainedTokenizerBase, trimmed: PreTrainedTokenizerBase, keep: list[int],
             texts: Iterable[str]) -> Coverage:
    """Measure on `texts` how much of the full tokenization the trimmed vocabulary lacks, and its <unk> rate."""
    kept = np.zeros(len(full), dtype=bool)
    kept[keep] = True
    tokens = outside = trimmed_tokens = unknown = 0
    for batch in _batches(texts):
        for ids in full(batch, add_special_tokens=False, verbose=False)["input_ids"]:
            tokens += len(ids)
            outside += int((~kept[ids]).sum())
        for ids in trimmed(batch, add_special_tokens=False, verbose=False)["input_ids"]:
            trimmed_tokens += len(ids)
            unknown += ids.count(trimmed.unk_token_id)
    return Coverage(tokens, outside / max(tokens, 1), unknown / max(trimmed_tokens, 1))


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    iterator = iter(texts)
    while batch := list(islice(iterator, BATCH)):
        yield batch
