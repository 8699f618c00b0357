"""The run directory: resumed only under the same config, written only once everything is validated,
and by one training run at a time."""

import fcntl
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from model.io import write_json, write_text
from train.config import ConfigError, RunConfig

CONFIG_FILE = "config.yaml"
# What a run writes into its folder; a folder holding only these is a (possibly unfinished) run.
LOCK_FILE = "train.lock"
RUN_ENTRIES = {CONFIG_FILE, LOCK_FILE, "checkpoints", "model", "provenance.json", "reports", "tokenizer", "train_log.jsonl"}


def check_run_dir(config: RunConfig) -> Path:
    """Refuse a run directory that holds a run with another config, or files that are not a run; write nothing."""
    run_dir = config.run_dir
    saved = run_dir / CONFIG_FILE
    if run_dir.exists() and (not run_dir.is_dir() or any(p.name not in RUN_ENTRIES for p in run_dir.iterdir())):
        raise ConfigError(f"{run_dir} already holds files that are not a training run; choose another "
                          "--output-dir (nothing was changed)")
    if saved.is_file():
        previous = yaml.safe_load(saved.read_text(encoding="utf-8"))
        if previous != config.to_dict():
            changed = sorted(_diff_keys(previous, config.to_dict()))
            raise ConfigError(
                f"{run_dir} holds a run with a different config (changed: {', '.join(changed)}); "
                "choose another --output-dir, or delete the folder to start over. Nothing was changed."
            )
    return run_dir


@contextmanager
def run_lock(run_dir: Path, busy: str | None = None) -> Iterator[None]:
    """Hold the run directory for this run: a second run started on it meanwhile is refused, untouched
    (`busy`: the message it gets, if not the run folder's)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    with (run_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FileExistsError(busy or f"{run_dir} is being trained by another run right now; wait for it, or "
                                  "choose another --output-dir (nothing was changed)") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_folder(config: RunConfig, kind: str, source: dict) -> Path:
    """The folder beside the run folders (runs/KIND/KEY) for work that runs of the same `source` share, KEY a hash
    of it; source.json in it says what the key stands for, for a reader."""
    key = hashlib.sha256(json.dumps(source, sort_keys=True).encode()).hexdigest()[:16]
    folder = config.run_dir.parent / kind / key
    if not (folder / "source.json").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_json(folder / "source.json", source)
    return folder


def write_run_config(config: RunConfig) -> None:
    """Create the run directory and record the resolved config (the key to resuming)."""
    config.run_dir.mkdir(parents=True, exist_ok=True)
    write_text(config.run_dir / CONFIG_FILE, yaml.safe_dump(config.to_dict(), allow_unicode=True, sort_keys=False))


def _diff_keys(old, new, prefix: str = "") -> set[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return {prefix.rstrip(".") or "(whole config)"} if old != new else set()
    keys = set(old) | set(new)
    return {k for key in keys for k in _diff_keys(old.get(key), new.get(key), f"{prefix}{key}.")}
