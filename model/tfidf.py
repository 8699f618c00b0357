"""The TF-IDF baseline: word and character n-grams with logistic regression (scikit-learn).

Saved without pickle: the vectorisers' parameters and vocabularies as JSON, the idf
weights and the classifier's coefficients as safetensors arrays.
"""

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from model.base import SentenceTagger
from model.io import write_folder
from model.labels import LABEL2ID, LABELS
from model.prediction import Prediction, check_sentences, make_prediction, softmax_rows
from model.preprocess import preprocessing_for
from model.settings import TaggerSettings, read_settings

VECTORS_FILE = "tfidf.json"
ARRAYS_FILE = "tfidf.safetensors"
WORD = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True, "max_features": 100_000}
CHAR = {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True, "max_features": 200_000}


class TfidfTagger(SentenceTagger):
    def __init__(self, word: TfidfVectorizer, char: TfidfVectorizer, coef: np.ndarray, intercept: np.ndarray,
                 settings: TaggerSettings):
        if coef.shape[0] != len(LABELS):
            raise ValueError(f"the classifier has {coef.shape[0]} classes, expected {len(LABELS)}")
        self.word, self.char, self.coef, self.intercept = word, char, coef, intercept
        self.settings = settings
        self._preprocess = preprocessing_for(settings.preprocessing)

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], c: float = 4.0, class_weights: bool = True,
            preprocessing: str | None = None) -> "TfidfTagger":
        """Fit both vectorisers and the classifier on raw `texts` (preprocessed here)."""
        missing = set(LABELS) - set(labels)
        if missing:
            raise ValueError(f"training data has no example of {sorted(missing)}")
        prepare = preprocessing_for(preprocessing)
        prepared = [prepare(t) for t in texts]
        word, char = TfidfVectorizer(**WORD), TfidfVectorizer(**CHAR)
        features = hstack([word.fit_transform(prepared), char.fit_transform(prepared)]).tocsr()
        classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if class_weights else None)
        classifier.fit(features, [LABEL2ID[label] for label in labels])
        settings = TaggerSettings(kind="tfidf", preprocessing=preprocessing)
        coef = np.ascontiguousarray(classifier.coef_, dtype=np.float32)  # safetensors writes C order
        return cls(word, char, coef, np.ascontiguousarray(classifier.intercept_, dtype=np.float32), settings)

    @classmethod
    def from_pretrained(cls, path: str | Path) -> "TfidfTagger":
        path = Path(path)
        settings = read_settings(str(path))
        vectors = json.loads((path / VECTORS_FILE).read_text(encoding="utf-8"))
        arrays = load_file(str(path / ARRAYS_FILE))
        word = _vectorizer(vectors["word"], arrays["word_idf"])
        char = _vectorizer(vectors["char"], arrays["char_idf"])
        return cls(word, char, arrays["coef"], arrays["intercept"], settings)

    def save_pretrained(self, directory: str | Path, card: str | None = None) -> None:
        """Write vocabularies (JSON), idf and coefficients (safetensors) and tagger.json, atomically."""

        def fill(staging: Path) -> None:
            vectors = {name: _describe(v) for name, v in (("word", self.word), ("char", self.char))}
            (staging / VECTORS_FILE).write_text(json.dumps(vectors, ensure_ascii=False), encoding="utf-8")
            arrays = {"word_idf": self.word.idf_, "char_idf": self.char.idf_, "coef": self.coef, "intercept": self.intercept}
            save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}, str(staging / ARRAYS_FILE))
            self.settings.save(staging, card)

        write_folder(directory, fill)

    def predict(self, sentences: Sequence[str], batch_size: int | None = None) -> list[Prediction]:
        check_sentences(sentences)
        if not sentences:
            return []
        prepared = [self._preprocess(s) for s in sentences]
        features = hstack([self.word.transform(prepared), self.char.transform(prepared)]).tocsr()
        logits = features @ self.coef.T + self.intercept
        probabilities = softmax_rows(np.asarray(logits).tolist(), self.settings.temperature)
        return [make_prediction(s, p) for s, p in zip(sentences, probabilities)]


def _describe(vectorizer: TfidfVectorizer) -> dict:
    params = {k: v for k, v in vectorizer.get_params().items() if k in WORD or k in CHAR}
    vocabulary = {term: int(index) for term, index in vectorizer.vocabulary_.items()}
    return {"params": params, "vocabulary": vocabulary}


def _vectorizer(description: dict, idf: np.ndarray) -> TfidfVectorizer:
    params = {**description["params"], "ngram_range": tuple(description["params"]["ngram_range"])}
    params.pop("max_features", None)
    params.pop("min_df", None)
    vectorizer = TfidfVectorizer(**params, vocabulary=description["vocabulary"])
    vectorizer.idf_ = idf.astype(np.float64)
    return vectorizer
