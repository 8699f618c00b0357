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
        data = json.loads(Path(path).read_text(encoding="utf-8"))
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
