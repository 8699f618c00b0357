"""The interface every tagger kind answers, so that eval never branches on the kind."""

from abc import ABC, abstractmethod
from collections.abc import Sequence

from model.prediction import Prediction
from model.settings import TaggerSettings
from model.splitter import split_sentences


class SentenceTagger(ABC):
    """predict(sentences) -> one Prediction per sentence, in input order."""

    settings: TaggerSettings

    @abstractmethod
    def predict(self, sentences: Sequence[str], batch_size: int | None = None) -> list[Prediction]:
        """Predict the role of each sentence."""

    def tag_article(self, text: str, batch_size: int | None = None) -> list[Prediction]:
        """Split an article into sentences and predict the role of each."""
        sentences = split_sentences(text)
        return self.predict(sentences, batch_size=batch_size) if sentences else []
