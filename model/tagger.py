"""The inference wrapper: load a trained tagger, predict sentence roles, tag articles.

    tagger = Tagger.from_pretrained("runs/tiny/model")
    tagger.predict(["نفى الكرملين التقارير."])[0].label     # 'denial'
    tagger.tag_article(open("article.txt").read())
"""

import os
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from model.device import autocast_dtype, choose_device
from model.batching import Batch, encode, sorted_batches
from model.io import write_folder
from model.labels import ID2LABEL, LABEL2ID
from model.prediction import Prediction, check_sentences, make_prediction
from model.preprocess import preprocessing_for
from model.settings import TaggerSettings, read_settings
from model.base import SentenceTagger


DEFAULT_CPU_BATCH = 32
DEFAULT_GPU_BATCH = 128


class Tagger(SentenceTagger):
    """A fine-tuned transformer sentence-role classifier with its tokenizer and preprocessing."""

    def __init__(
        self,
        model: PreTrainedModel,
        tokenizer: PreTrainedTokenizerBase,
        settings: TaggerSettings,
        device: str | torch.device | None = None,
        threads: int | None = None,
    ):
        _check_label_map(model, settings)
        if threads is not None:
            torch.set_num_threads(threads)  # CPU inference threads (default: PyTorch's, one per core)
        self.settings = settings
        self.tokenizer = tokenizer
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()
        self._preprocess = preprocessing_for(settings.preprocessing)

    @classmethod
    def from_pretrained(
        cls, path_or_name: str | os.PathLike, device: str | torch.device | None = None, threads: int | None = None
    ) -> "Tagger":
        """Load a tagger saved by `save_pretrained` from a folder or a Hugging Face hub name."""
        settings = read_settings(str(path_or_name))
        try:
            model = AutoModelForSequenceClassification.from_pretrained(
                path_or_name, use_safetensors=True, trust_remote_code=False
            )
            tokenizer = AutoTokenizer.from_pretrained(path_or_name, trust_remote_code=False)
        except (OSError, ValueError, RuntimeError) as error:
            raise ValueError(f"{path_or_name}: cannot load the model ({type(error).__name__}: {error})") from error
        return cls(model, tokenizer, settings, device=device, threads=threads)

    def save_pretrained(self, directory: str | os.PathLike, card: str | None = None) -> None:
        """Write a standard Hugging Face folder plus tagger.json (and a model card), atomically."""

        def fill(staging: Path) -> None:
            self.model.save_pretrained(staging, safe_serialization=True)
            self.tokenizer.save_pretrained(staging)
            self.settings.save(staging, card)

        write_folder(directory, fill)

    def predict(self, sentences: Sequence[str], batch_size: int | None = None) -> list[Prediction]:
        """Predict the role of each sentence; results keep the input order.

        Sentences are sorted by token count into batches padded only to their own longest
        (the input order is restored); batch_size defaults to 32 on CPU and 128 on GPU.
        """
        check_sentences(sentences)
        if not sentences:
            return []
        batch_size = batch_size or (DEFAULT_GPU_BATCH if self.device.type == "cuda" else DEFAULT_CPU_BATCH)
        ids, truncated = encode(self.tokenizer, [self._preprocess(s) for s in sentences], self.settings.max_length)
        probabilities = np.empty((len(ids), len(LABEL2ID)), dtype=np.float32)
        for batch in sorted_batches(ids, batch_size, self.tokenizer.pad_token_id):
            probabilities[batch.indices] = self._forward(batch)
        return [make_prediction(s, p, t) for s, p, t in zip(sentences, probabilities.tolist(), truncated)]

    @torch.inference_mode()
    def _forward(self, batch: Batch) -> np.ndarray:
        input_ids = torch.from_numpy(batch.input_ids).to(self.device)
        attention_mask = torch.from_numpy(batch.attention_mask).to(self.device)
        dtype = autocast_dtype(self.device)
        with torch.autocast(self.device.type, dtype=dtype) if dtype else nullcontext():
            logits = self.model(input_ids=input_ids, attention_mask=attention_mask).logits
        return torch.softmax(logits.float() / self.settings.temperature, dim=-1).cpu().numpy()


def _check_label_map(model: PreTrainedModel, settings: TaggerSettings) -> None:
    id2label = {int(i): label for i, label in model.config.id2label.items()}
    if id2label != ID2LABEL or model.config.num_labels != len(LABEL2ID):
        raise ValueError(
            f"the model's label map {id2label} does not match this package's labels {dict(ID2LABEL)}"
        )
