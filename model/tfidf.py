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

from model.context import with_context
from model.labels import LABEL2ID, LABELS
from model.preprocess import DEFAULT_NORMALIZATION, text_preparation
from model.settings import TaggerSettings
from model.tagger import Tagger

VECTORS_FILE = "tfidf.json"
ARRAYS_FILE = "tfidf.safetensors"
WORD = {"analyzer": "word", "ngram_range": (1, 2), "min_df": 2, "sublinear_tf": True, "max_features": 100_000}
CHAR = {"analyzer": "char_wb", "ngram_range": (2, 5), "min_df": 2, "sublinear_tf": True, "max_features": 200_000}


class TfidfTagger(Tagger):
    kind = "tfidf"
    description = "TF-IDF + logistic regression"
    library_name = "sklearn"
    required_files = ((VECTORS_FILE,), (ARRAYS_FILE,))

    def __init__(self, word: TfidfVectorizer, char: TfidfVectorizer, coef: np.ndarray, intercept: np.ndarray,
                 settings: TaggerSettings):
        super().__init__(settings)
        if coef.shape != (len(LABELS), len(word.vocabulary_) + len(char.vocabulary_)) or intercept.shape != (len(LABELS),):
            raise ValueError(f"the classifier's coefficients {coef.shape} do not fit {len(LABELS)} labels and "
                             f"{len(word.vocabulary_) + len(char.vocabulary_)} features")
        self.word, self.char, self.coef, self.intercept = word, char, coef, intercept

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], c: float = 4.0, class_weights: bool = True,
            preprocessing: str | None = None, normalization: str | None = DEFAULT_NORMALIZATION,
            contexts: Sequence[int | None] | None = None) -> "TfidfTagger":
        """Fit both vectorisers and the classifier on raw `texts` (prepared here as in prediction);
        with `contexts` (each text's position in its article) the tagger is trained with context."""
        missing = set(LABELS) - set(labels)
        if missing:
            raise ValueError(f"training data has no example of {sorted(missing)}")
        prepare = text_preparation(normalization, preprocessing)
        prepared = with_context([prepare(t) for t in texts], contexts)
        word, char = TfidfVectorizer(**WORD), TfidfVectorizer(**CHAR)
        features = hstack([word.fit_transform(prepared), char.fit_transform(prepared)]).tocsr()
        classifier = LogisticRegression(C=c, max_iter=3000, class_weight="balanced" if class_weights else None)
        classifier.fit(features, [LABEL2ID[label] for label in labels])
        settings = TaggerSettings(kind="tfidf", normalization=normalization, preprocessing=preprocessing,
                                  context=contexts is not None)
        coef = np.ascontiguousarray(classifier.coef_, dtype=np.float32)  # safetensors writes C order
        return cls(word, char, coef, np.ascontiguousarray(classifier.intercept_, dtype=np.float32), settings)

    @classmethod
    def _load(cls, folder: Path, settings: TaggerSettings, device=None, threads=None) -> "TfidfTagger":
        try:
            vectors = json.loads((folder / VECTORS_FILE).read_text(encoding="utf-8"))
            arrays = load_file(str(folder / ARRAYS_FILE))
            word = _vectorizer(vectors["word"], arrays["word_idf"])
            char = _vectorizer(vectors["char"], arrays["char_idf"])
            coef, intercept = arrays["coef"], arrays["intercept"]
        except Exception as error:  # truncated or foreign files: one message naming the folder
            raise ValueError(f"{folder}: cannot read the TF-IDF model ({type(error).__name__}: {error})") from None
        return cls(word, char, coef, intercept, settings)

    def _save_files(self, folder: Path) -> None:
        """Vocabularies as JSON, idf and coefficients as safetensors: no pickle."""
        vectors = {name: _describe(v) for name, v in (("word", self.word), ("char", self.char))}
        (folder / VECTORS_FILE).write_text(json.dumps(vectors, ensure_ascii=False), encoding="utf-8")
        arrays = {"word_idf": self.word.idf_, "char_idf": self.char.idf_, "coef": self.coef, "intercept": self.intercept}
        save_file({k: np.ascontiguousarray(v, dtype=np.float32) for k, v in arrays.items()}, str(folder / ARRAYS_FILE))

    def _scores(self, texts: list[str], batch_size: int | None) -> tuple[np.ndarray, list[bool]]:
        features = hstack([self.word.transform(texts), self.char.transform(texts)]).tocsr()
        return np.asarray(features @ self.coef.T + self.intercept, dtype=np.float32), [False] * len(texts)


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
