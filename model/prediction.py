"""What every tagger kind returns, and the input checks every kind applies."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from model.labels import LABELS
from model.text import has_arabic


@dataclass(frozen=True)
class Prediction:
    """The role of one sentence: its label, that label's probability, and all four."""

    text: str
    label: str
    score: float
    probabilities: dict[str, float] = field(default_factory=dict)
    truncated: bool = False
    has_arabic: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


def make_prediction(sentence: str, probabilities: Sequence[float], truncated: bool = False) -> Prediction:
    """A Prediction from one row of class probabilities in LABELS order."""
    best = max(range(len(LABELS)), key=lambda i: probabilities[i])
    return Prediction(
        text=sentence,
        label=LABELS[best],
        score=float(probabilities[best]),
        probabilities={label: float(p) for label, p in zip(LABELS, probabilities)},
        truncated=truncated,
        has_arabic=has_arabic(sentence),
    )


def check_sentences(sentences: Sequence[str]) -> None:
    """Raise for input predict() cannot take, naming the index of the first bad sentence."""
    if isinstance(sentences, str):
        raise TypeError("predict() takes a list of sentences, not a single string; wrap it: [text]")
    for index, sentence in enumerate(sentences):
        if not isinstance(sentence, str):
            raise ValueError(f"sentence {index} is a {type(sentence).__name__}, expected str")
        if not sentence.strip():
            raise ValueError(f"sentence {index} is empty or whitespace only")
