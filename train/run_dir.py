"""The run directory: resumed only under the same config, written only once everything is validated."""

from pathlib import Path

import yaml

from model.io import write_text
from train.config import ConfigError, RunConfig

CONFIG_FILE = "config.yaml"
# What a run writes into its folder; a folder holding only these is a (possibly unfinished) run.
RUN_ENTRIES = {CONFIG_FILE, "checkpoints", "model", "provenance.json", "reports", "tokenizer", "train_log.jsonl"}


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


def write_run_config(config: RunConfig) -> None:
    """Create the run directory and record the resolved config (the key to resuming)."""
    config.run_dir.mkdir(parents=True, exist_ok=True)
    write_text(config.run_dir / CONFIG_FILE, yaml.safe_dump(config.to_dict(), allow_unicode=True, sort_keys=False))


def _diff_keys(old, new, prefix: str = "") -> set[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return {prefix.rstrip(".") or "(whole config)"} if old != new else set()
    keys = set(old) | set(new)
    return {k for key in keys for k in _diff_keys(old.get(key), new.get(key), f"{prefix}{key}.")}
