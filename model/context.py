"""A sentence's place in its article, as a tagger trained with context sees it.

A context is the sentence's position in its article, as in the data files: 0 is the title,
1 the first sentence of the body, and so on (None: unknown). A tagger saved with
`context: true` reads it as a short marker token before the prepared sentence, one per
position bucket, so every kind (transformer, its int8 copy, TF-IDF) learns it the same
way and inference costs nothing more. Without a context the sentence gets no marker.
"""

from collections.abc import Sequence

BUCKETS = ((0, 0, "ctx_title"), (1, 1, "ctx_p1"), (2, 2, "ctx_p2"), (3, 3, "ctx_p3"), (4, 6, "ctx_p4to6"),
           (7, 10, "ctx_p7to10"))
LAST_BUCKET = "ctx_p11plus"
"""Markers by position: the title, the first three sentences, 4-6, 7-10, 11 and after."""


def context_marker(position: int | None) -> str:
    """The marker (with its trailing space) put before a sentence at `position`; '' when unknown."""
    if position is None:
        return ""
    for low, high, marker in BUCKETS:
        if low <= position <= high:
            return marker + " "
    return LAST_BUCKET + " "


def article_positions(has_title: bool, body_sentences: int) -> list[int]:
    """The positions of an article's sentences in reading order: the title (if any) 0, the body from 1."""
    return ([0] if has_title else []) + list(range(1, body_sentences + 1))


def check_contexts(contexts: Sequence, count: int) -> None:
    """Refuse contexts that are not one position (a whole number from 0, or None) per sentence."""
    if isinstance(contexts, (str, bytes)) or not isinstance(contexts, Sequence):
        raise ValueError(f"contexts must be a list of positions (0: the title), got {type(contexts).__name__}")
    if len(contexts) != count:
        raise ValueError(f"got {len(contexts)} contexts for {count} sentences; give one position per sentence")
    for index, position in enumerate(contexts):
        if position is not None and (not isinstance(position, int) or isinstance(position, bool) or position < 0):
            raise ValueError(f"contexts[{index}]: expected a position (a whole number from 0, or None), "
                             f"got {position!r}")


def with_context(prepared: Sequence[str], contexts: Sequence[int | None] | None) -> list[str]:
    """Prepared sentences with their context markers (unchanged when there are no contexts)."""
    if contexts is None:
        return list(prepared)
    return [context_marker(position) + text for text, position in zip(prepared, contexts)]
