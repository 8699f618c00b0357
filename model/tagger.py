"""The inference wrapper: load a trained tagger, predict sentence roles, tag articles.

    tagger = Tagger.from_pretrained("runs/tiny/model")
    tagger.predict(["نفى الكرملين التقارير."])[0].label     # 'denial'
    tagger.tag_article(open("article.txt").read())
"""

import os
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from model.device import autocast_dtype, choose_device
from model.io import write_folder
from model.labels import ID2LABEL, LABEL2ID
from model.prediction import Prediction, check_sentences, make_prediction
from model.preprocess import preprocessing_for
from model.settings import TaggerSettings, settings_path
from model.base import SentenceTagger


class Tagger(SentenceTagger):
    """A fine-tuned transformer sentence-role classifier with its tokenizer and preprocessing."""

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        settings: TaggerSettings,
        device: str | torch.device | None = None,
    ):
        _check_label_map(model, settings)
        self.settings = settings
        self.tokenizer = tokenizer
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self._preprocess = preprocessing_for(settings.preprocessing)

    @classmethod
    def from_pretrained(cls, path_or_name: str | os.PathLike, device: str | torch.device | None = None) -> "Tagger":
        """Load a tagger saved by `save_pretrained` from a folder or a Hugging Face hub name."""
        settings = TaggerSettings.from_file(settings_path(str(path_or_name)))
        model = AutoModelForSequenceClassification.from_pretrained(
            path_or_name, use_safetensors=True, trust_remote_code=False
        )
        tokenizer = AutoTokenizer.from_pretrained(path_or_name, trust_remote_code=False)
        return cls(model, tokenizer, settings, device=device)

    def save_pretrained(self, directory: str | os.PathLike, card: str | None = None) -> None:
        """Write a standard Hugging Face folder plus tagger.json (and a model card), atomically."""

        def fill(staging: Path) -> None:
            self.model.save_pretrained(staging, safe_serialization=True)
            self.tokenizer.save_pretrained(staging)
            self.settings.save(staging, card)

        write_folder(directory, fill)

    def predict(self, sentences: Sequence[str], batch_size: int = 32) -> list[Prediction]:
        """Predict the role of each sentence; results keep the input order."""
        check_sentences(sentences)
        texts = [self._preprocess(s) for s in sentences]
        encoded = self.tokenizer(texts, truncation=False, add_special_tokens=True)["input_ids"]
        limit = self.settings.max_length
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        probabilities: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            for index, row in zip(batch, self._forward([texts[i] for i in batch])):
                probabilities[index] = row
        return [
            make_prediction(sentence, probs, truncated=len(ids) > limit)
            for sentence, probs, ids in zip(sentences, probabilities, encoded)
        ]

    @torch.inference_mode()
    def _forward(self, texts: list[str]) -> list[list[float]]:
        inputs = self.tokenizer(
            texts, truncation=True, max_length=self.settings.max_length, padding=True, return_tensors="pt"
        ).to(self.device)
        dtype = autocast_dtype(self.device)
        context = torch.autocast(self.device.type, dtype=dtype) if dtype else nullcontext()
        with context:
            logits = self.model(**inputs).logits
        return torch.softmax(logits.float() / self.settings.temperature, dim=-1).cpu().tolist()


def _check_label_map(model: PreTrainedModel, settings: TaggerSettings) -> None:
    id2label = {int(i): label for i, label in model.config.id2label.items()}
    if id2label != ID2LABEL or model.config.num_labels != len(LABEL2ID):
        raise ValueError(
            f"the model's label map {id2label} does not match this package's labels {dict(ID2LABEL)}"
        )
