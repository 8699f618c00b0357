"""The fine-tuned transformer kind: a Hugging Face sequence classifier with its tokenizer.

    tagger = Tagger.from_pretrained("runs/tiny/model", device="cuda:1", threads=2)
"""

from contextlib import nullcontext
from pathlib import Path

import numpy as np
import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel, \
    PreTrainedTokenizerBase

from model.batching import Batch, scores_in_batches
from model.cli import check_count
from model.device import autocast_dtype, choose_device
from model.labels import ID2LABEL, LABEL2ID
from model.settings import TaggerSettings
from model.tagger import Tagger

DEFAULT_CPU_BATCH = 32
DEFAULT_GPU_BATCH = 128


class TransformerTagger(Tagger):
    """A fine-tuned transformer sentence-role classifier."""

    kind = "transformer"
    description = "a fine-tuned transformer encoder"
    library_name = "transformers"
    required_files = (("config.json",), ("model.safetensors", "model.safetensors.index.json"),
                      ("tokenizer.json", "vocab.txt"))

    def __init__(self, model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, settings: TaggerSettings,
                 device: str | torch.device | None = None, threads: int | None = None):
        super().__init__(settings)
        check_label_map(model)
        check_max_length(settings, model.config)
        if threads is not None:
            check_count("threads", threads)
            torch.set_num_threads(threads)  # CPU inference threads (default: PyTorch's, one per core)
        self.tokenizer = tokenizer
        self.device = choose_device(device)
        self.model = model.to(self.device).eval()

    @classmethod
    def _load(cls, folder: Path, settings: TaggerSettings, device=None, threads=None) -> "TransformerTagger":
        check_max_length(settings, AutoConfig.from_pretrained(folder, trust_remote_code=False), folder)
        try:
            model = AutoModelForSequenceClassification.from_pretrained(folder, use_safetensors=True,
                                                                       trust_remote_code=False)
            tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
        except Exception as error:  # a truncated or foreign file fails in many ways; one message for all
            raise ValueError(f"{folder}: cannot load the model ({type(error).__name__}: "
                             f"{str(error).splitlines()[0] if str(error) else ''})") from None
        return cls(model, tokenizer, settings, device=device, threads=threads)

    def _save_files(self, folder: Path) -> None:
        self.model.save_pretrained(folder, safe_serialization=True)
        self.tokenizer.model_max_length = self.settings.max_length  # what plain pipeline() use truncates to
        self.tokenizer.save_pretrained(folder)

    def _scores(self, texts: list[str], batch_size: int | None) -> tuple[np.ndarray, list[bool]]:
        return scores_in_batches(self.tokenizer, texts, self.settings.max_length, self._batch_size(batch_size),
                                 self._forward, len(LABEL2ID))

    def sentence_vectors(self, sentences: list[str], batch_size: int | None = None) -> np.ndarray:
        """The encoder's final-layer [CLS] vector of each sentence (n x hidden size), what its classifier reads."""
        texts = [self._prepare(s) for s in sentences]
        vectors, _ = scores_in_batches(self.tokenizer, texts, self.settings.max_length, self._batch_size(batch_size),
                                       self._cls_vectors, self.model.config.hidden_size)
        return vectors

    def _batch_size(self, batch_size: int | None) -> int:
        return batch_size or (DEFAULT_GPU_BATCH if self.device.type == "cuda" else DEFAULT_CPU_BATCH)

    def _cls_vectors(self, batch: Batch) -> np.ndarray:
        return self._run(self.model.base_model, batch).last_hidden_state[:, 0].float().cpu().numpy()

    def _forward(self, batch: Batch) -> np.ndarray:
        return self._run(self.model, batch).logits.float().cpu().numpy()

    @torch.inference_mode()
    def _run(self, module: torch.nn.Module, batch: Batch):
        """`module` (the classifier or its encoder) on one batch, under autocast on a GPU."""
        input_ids = torch.from_numpy(batch.input_ids).to(self.device)
        attention_mask = torch.from_numpy(batch.attention_mask).to(self.device)
        dtype = autocast_dtype(self.device)
        with torch.autocast(self.device.type, dtype=dtype) if dtype else nullcontext():
            return module(input_ids=input_ids, attention_mask=attention_mask)


def check_label_map(model: PreTrainedModel) -> None:
    """Refuse a classifier whose label ids are not this package's."""
    id2label = {int(i): label for i, label in model.config.id2label.items()}
    if id2label != ID2LABEL or model.config.num_labels != len(LABEL2ID):
        raise ValueError(
            f"the model's label map {id2label} does not match this package's labels {dict(ID2LABEL)}"
        )


def check_max_length(settings: TaggerSettings, config, where: Path | str = "the model") -> None:
    """Refuse a max_length beyond the model's position embeddings (it would crash on long input)."""
    limit = getattr(config, "max_position_embeddings", None)
    if limit is not None and settings.max_length > limit:
        raise ValueError(f"{where}: tagger.json max_length {settings.max_length} exceeds the model's "
                         f"{limit} positions")
