"""The inference wrapper: load a trained tagger, predict sentence roles, tag articles.

    tagger = Tagger.from_pretrained("runs/tiny/model")
    tagger.predict(["نفى الكرملين التقارير."])[0].label     # 'denial'
    tagger.tag_article(open("article.txt").read())
"""

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

from model.device import autocast_dtype, choose_device
from model.labels import ID2LABEL, LABEL2ID, LABELS
from model.preprocess import preprocessing_for
from model.splitter import split_sentences
from model.text import has_arabic

SETTINGS_FILE = "tagger.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class TaggerSettings:
    """What a saved tagger declares beside its weights (tagger.json)."""

    kind: str = "transformer"
    max_length: int = 128
    preprocessing: str | None = None  # the arabert model family whose preprocessing is applied
    labels: tuple[str, ...] = LABELS
    format_version: int = FORMAT_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_file(cls, path: Path) -> "TaggerSettings":
        data = json.loads(path.read_text(encoding="utf-8"))
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
        data["labels"] = tuple(data.get("labels", LABELS))
        return cls(**data)


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


class Tagger:
    """A fine-tuned sentence-role classifier with its tokenizer and preprocessing."""

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
        settings = TaggerSettings.from_file(_settings_path(str(path_or_name)))
        model = AutoModelForSequenceClassification.from_pretrained(
            path_or_name, use_safetensors=True, trust_remote_code=False
        )
        tokenizer = AutoTokenizer.from_pretrained(path_or_name, trust_remote_code=False)
        return cls(model, tokenizer, settings, device=device)

    def save_pretrained(self, directory: str | os.PathLike, card: str | None = None) -> None:
        """Write a standard Hugging Face folder plus tagger.json (and a model card), atomically."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
        try:
            self.model.save_pretrained(staging, safe_serialization=True)
            self.tokenizer.save_pretrained(staging)
            (staging / SETTINGS_FILE).write_text(self.settings.to_json(), encoding="utf-8")
            if card is not None:
                (staging / "README.md").write_text(card, encoding="utf-8")
            _replace_dir(staging, directory)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def predict(self, sentences: Sequence[str], batch_size: int = 32) -> list[Prediction]:
        """Predict the role of each sentence; results keep the input order."""
        _check_sentences(sentences)
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
            _prediction(sentence, probs, truncated=len(ids) > limit)
            for sentence, probs, ids in zip(sentences, probabilities, encoded)
        ]

    def tag_article(self, text: str, batch_size: int = 32) -> list[Prediction]:
        """Split an article into sentences and predict the role of each."""
        sentences = split_sentences(text)
        return self.predict(sentences, batch_size=batch_size) if sentences else []

    @torch.inference_mode()
    def _forward(self, texts: list[str]) -> list[list[float]]:
        inputs = self.tokenizer(
            texts, truncation=True, max_length=self.settings.max_length, padding=True, return_tensors="pt"
        ).to(self.device)
        dtype = autocast_dtype(self.device)
        context = torch.autocast(self.device.type, dtype=dtype) if dtype else nullcontext()
        with context:
            logits = self.model(**inputs).logits
        return torch.softmax(logits.float(), dim=-1).cpu().tolist()


def _prediction(sentence: str, probs: list[float], truncated: bool) -> Prediction:
    best = max(range(len(probs)), key=probs.__getitem__)
    return Prediction(
        text=sentence,
        label=ID2LABEL[best],
        score=probs[best],
        probabilities={ID2LABEL[i]: p for i, p in enumerate(probs)},
        truncated=truncated,
        has_arabic=has_arabic(sentence),
    )


def _check_sentences(sentences: Sequence[str]) -> None:
    if isinstance(sentences, str):
        raise TypeError("predict() takes a list of sentences, not a single string; wrap it: [text]")
    for index, sentence in enumerate(sentences):
        if not isinstance(sentence, str):
            raise ValueError(f"sentence {index} is a {type(sentence).__name__}, expected str")
        if not sentence.strip():
            raise ValueError(f"sentence {index} is empty or whitespace only")


def _check_label_map(model: PreTrainedModel, settings: TaggerSettings) -> None:
    id2label = {int(i): label for i, label in model.config.id2label.items()}
    if tuple(settings.labels) != LABELS or id2label != ID2LABEL or model.config.num_labels != len(LABEL2ID):
        raise ValueError(
            f"the model's label map {id2label} does not match this package's labels {dict(ID2LABEL)}"
        )


def _settings_path(path_or_name: str) -> Path:
    local = Path(path_or_name)
    if local.is_dir():
        settings = local / SETTINGS_FILE
        if not settings.is_file():
            present = ", ".join(sorted(p.name for p in local.iterdir())) or "nothing"
            raise FileNotFoundError(
                f"{local} is not a trained tagger: {SETTINGS_FILE} is missing (found: {present}). "
                "Train one with `python -m train --config configs/tiny.yaml`."
            )
        return settings
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(path_or_name, SETTINGS_FILE))


def _replace_dir(new: Path, target: Path) -> None:
    """Move `new` to `target`, replacing any old folder only once the new one is complete."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
