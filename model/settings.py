"""tagger.json: what a saved tagger declares beside its files (kind, max length, normalisation, ...), checked on load."""

import json
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from model.kinds import KINDS
from model.labels import LABELS

SETTINGS_FILE = "tagger.json"
FORMAT_VERSION = 1
MIN_LENGTH = 8
"""The shortest max_length that holds the special tokens and a few words."""
NORMALIZATIONS = ("NFKC",)
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
"""What a Hugging Face hub repository name (owner/name) looks like."""


@dataclass(frozen=True)
class TaggerSettings:
    kind: str = "transformer"
    max_length: int = 128
    normalization: str | None = None
    """Unicode normalisation before preprocessing (NFKC: Arabic presentation forms become letters);
    None in taggers saved before it existed, so they keep seeing what they were trained on."""
    preprocessing: str | None = None
    """The arabert model family whose ArabertPreprocessor is applied (None: raw text)."""
    temperature: float = 1.0
    """Divides the logits before softmax; fitted on dev after training (1.0: not calibrated)."""
    context: bool = False
    """True: trained with each sentence's position in its article (model/context.py); predict reads it
    from `contexts`, tag_article passes it."""
    labels: tuple[str, ...] = LABELS
    format_version: int = FORMAT_VERSION

    def __post_init__(self):
        problem = self.problem()
        if problem:
            raise ValueError(problem)

    def problem(self) -> str | None:
        """What is wrong with these values, or None."""
        if self.kind not in KINDS:
            return f"unknown tagger kind {self.kind!r}; expected one of {', '.join(KINDS)}"
        if tuple(self.labels) != LABELS:
            return f"labels {list(self.labels)} differ from this package's {list(LABELS)}"
        if not isinstance(self.max_length, int) or isinstance(self.max_length, bool) or self.max_length < MIN_LENGTH:
            return f"max_length must be a whole number of at least {MIN_LENGTH}, got {self.max_length!r}"
        temperature = self.temperature
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not math.isfinite(temperature) \
                or temperature <= 0:
            return f"temperature must be a finite number above 0, got {temperature!r}"
        if self.normalization is not None and self.normalization not in NORMALIZATIONS:
            return f"normalization must be null or one of {', '.join(NORMALIZATIONS)}, got {self.normalization!r}"
        if self.preprocessing is not None and not isinstance(self.preprocessing, str):
            return f"preprocessing must be null or an arabert model name, got {self.preprocessing!r}"
        if not isinstance(self.context, bool):
            return f"context must be true or false, got {self.context!r}"
        if self.format_version != FORMAT_VERSION:
            return f"format_version {self.format_version!r} is not {FORMAT_VERSION}, the one this package reads"
        return None

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
        except (ValueError, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not valid JSON ({error})") from None
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"{path}: unknown settings {sorted(unknown)}")
        if isinstance(data.get("labels"), list):
            data["labels"] = tuple(data["labels"])
        try:
            return cls(**data)
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None


def read_settings(folder: Path) -> TaggerSettings:
    """tagger.json of a tagger folder, checked."""
    folder = Path(folder)
    settings = folder / SETTINGS_FILE
    if not settings.is_file():
        present = ", ".join(sorted(p.name for p in folder.iterdir())) or "nothing"
        raise FileNotFoundError(
            f"{folder} is not a trained tagger: {SETTINGS_FILE} is missing (found: {present}). "
            "Train one with `python -m train --config configs/tiny.yaml`."
        )
    return TaggerSettings.from_file(settings)


def local_folder(path_or_name: str) -> Path:
    """The folder of a tagger: a local path, or a hub repository (owner/name) downloaded to the cache.

    A path that looks local (it starts with . / or ~, or its first part is a folder here,
    like runs/...) and does not exist is reported at once, not looked up on the hub.
    """
    local = Path(path_or_name).expanduser()
    if local.is_dir():
        return local
    if local.exists():
        raise FileNotFoundError(f"{local} is a file, not a tagger folder")
    first = Path(path_or_name).parts[0] if Path(path_or_name).parts else ""
    if not HUB_ID.match(path_or_name) or path_or_name.startswith((".", "/", "~")) or Path(first).is_dir():
        raise FileNotFoundError(f"{path_or_name}: no such tagger folder")
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(path_or_name))
    except Exception as error:  # no network, unknown repository, no access: one message for all
        raise FileNotFoundError(
            f"{path_or_name}: not a folder here, and the Hugging Face hub could not provide it "
            f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})"
        ) from None
