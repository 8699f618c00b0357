"""tagger.json: what a saved tagger declares beside its weights (its kind, preprocessing, ...)."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from model.labels import LABELS

SETTINGS_FILE = "tagger.json"
FORMAT_VERSION = 1
KINDS = ("transformer", "tfidf", "cues", "onnx")


@dataclass(frozen=True)
class TaggerSettings:
    kind: str = "transformer"
    max_length: int = 128
    preprocessing: str | None = None
    """The arabert model family whose ArabertPreprocessor is applied (None: raw text)."""
    temperature: float = 1.0
    """Divides the logits before softmax; fitted on dev after training (1.0: not calibrated)."""
    labels: tuple[str, ...] = LABELS
    format_version: int = FORMAT_VERSION

    def save(self, folder: Path, card: str | None = None) -> None:
        """Write tagger.json (and the model card README.md, when given) into `folder`."""
        (Path(folder) / SETTINGS_FILE).write_text(
            json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        if card is not None:
            (Path(folder) / "README.md").write_text(card, encoding="utf-8")

    @classmethod
    def from_file(cls, path: Path) -> "TaggerSettings":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except ValueError as error:
            raise ValueError(f"{path}: not valid JSON ({error})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
        data["labels"] = tuple(data.get("labels", LABELS))
        settings = cls(**data)
        if settings.kind not in KINDS:
            raise ValueError(f"{path}: unknown tagger kind {settings.kind!r}; expected one of {', '.join(KINDS)}")
        if settings.labels != LABELS:
            raise ValueError(f"{path}: labels {list(settings.labels)} differ from this package's {list(LABELS)}")
        return settings


def settings_path(path_or_name: str) -> Path:
    """tagger.json of a local folder, or downloaded from a hub repository."""
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
    if local.exists() or path_or_name.count("/") != 1:
        raise FileNotFoundError(f"{path_or_name}: no such tagger folder (nor a hub name like owner/model)")
    from huggingface_hub import hf_hub_download

    return Path(hf_hub_download(path_or_name, SETTINGS_FILE))


REQUIRED_FILES = {
    "transformer": [("config.json",), ("model.safetensors", "model.safetensors.index.json"), ("tokenizer.json", "vocab.txt")],
    "onnx": [("model.onnx",), ("tokenizer.json", "vocab.txt")],
    "tfidf": [("tfidf.json",), ("tfidf.safetensors",)],
    "cues": [],
}
"""Per kind, the files a saved tagger needs (any one of each tuple)."""

PICKLE_WEIGHTS = ("pytorch_model.bin", "model.pt", "model.pkl", "tfidf.pkl")


def read_settings(path_or_name: str) -> TaggerSettings:
    """tagger.json of a folder or hub repository; a local folder must also hold its kind's files."""
    path = settings_path(path_or_name)
    settings = TaggerSettings.from_file(path)
    folder = Path(path_or_name)
    if folder.is_dir():
        missing = [" or ".join(options) for options in REQUIRED_FILES[settings.kind]
                   if not any((folder / name).is_file() for name in options)]
        pickled = [name for name in PICKLE_WEIGHTS if (folder / name).is_file()]
        if missing and pickled:
            raise ValueError(
                f"{folder}: weights are only in {', '.join(pickled)} (pickle), which this package never loads; "
                "convert them to safetensors (model.save_pretrained(folder, safe_serialization=True))"
            )
        if missing:
            raise FileNotFoundError(f"{folder} is not a complete {settings.kind} tagger: missing {', '.join(missing)}")
    return settings
