"""What produced a run: data hashes, package and library versions, git commit, machine."""

import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import torch

PACKAGE = "arabic-news-roles"


def provenance(config_fingerprint: str, data_files: dict[str, str]) -> dict:
    """provenance.json of a run."""
    return {
        "config_fingerprint": config_fingerprint,
        "data": {split: {"path": path, "sha256": _sha256(path)} for split, path in data_files.items()},
        "versions": {name: _version(name) for name in (PACKAGE, "torch", "transformers", "datasets", "accelerate")},
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
    }


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _git_commit() -> str | None:
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout.strip()
        return commit + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None
