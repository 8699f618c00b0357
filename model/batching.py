"""Length-sorted, dynamically padded batches: little padding, all Python work before the model runs."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Batch:
    indices: list[int]
    """Positions of the batch's sentences in the input."""
    input_ids: np.ndarray
    attention_mask: np.ndarray


def encode(tokenizer, texts: list[str], max_length: int) -> tuple[list[list[int]], list[bool]]:
    """Token ids of each text, cut to `max_length` (keeping the final [SEP]), and which were cut."""
    ids = tokenizer(texts, add_special_tokens=True, truncation=False, return_attention_mask=False,
                    verbose=False)["input_ids"]
    truncated = [len(row) > max_length for row in ids]
    return [row if len(row) <= max_length else row[: max_length - 1] + row[-1:] for row in ids], truncated


def sorted_batches(ids: list[list[int]], batch_size: int, pad_id: int) -> list[Batch]:
    """Batches of similar length (sorted by token count), each padded only to its own longest."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    batches = []
    for start in range(0, len(order), batch_size):
        indices = order[start : start + batch_size]
        width = max(len(ids[i]) for i in indices)
        input_ids = np.full((len(indices), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(indices), width), dtype=np.int64)
        for row, i in enumerate(indices):
            input_ids[row, : len(ids[i])] = ids[i]
            mask[row, : len(ids[i])] = 1
        batches.append(Batch(indices, input_ids, mask))
    return batches


def scores_in_batches(tokenizer, texts: list[str], max_length: int, batch_size: int,
                      forward: Callable[[Batch], np.ndarray], classes: int) -> tuple[np.ndarray, list[bool]]:
    """`forward`'s scores for every text, computed over length-sorted batches and returned in input order."""
    ids, truncated = encode(tokenizer, texts, max_length)
    scores = np.empty((len(ids), classes), dtype=np.float32)
    for batch in sorted_batches(ids, batch_size, tokenizer.pad_token_id):
        scores[batch.indices] = forward(batch)
    return scores, truncated
