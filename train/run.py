"""The training flow: config -> data -> model -> Trainer -> best tagger, reports and provenance.

    python -m train --config configs/tiny.yaml [--output-dir DIR] [key.sub=value ...]

The run directory (default runs/NAME) holds config.yaml (resolved), provenance.json,
train_log.jsonl, checkpoints/ (Trainer's, for resuming), model/ (the best tagger) and
reports/{dev,test}/. Rerunning the same command resumes from the last checkpoint.
"""

import platform
import subprocess
from importlib import metadata
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
import yaml
from datasets import Dataset
from transformers import (
    AutoConfig,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    DataCollatorWithPadding,
    EarlyStoppingCallback,
    EvalPrediction,
    TrainingArguments,
    set_seed,
)

from eval.calibration import fit_temperature
from eval.metrics import classification_metrics
from eval.report import build_report, predict_rows, write_report
from model.card import render_card
from model.data import Example, read_examples
from model.device import mixed_precision_flags
from model.io import write_json, write_jsonl, write_text
from model.labels import ID2LABEL, LABEL2ID, LABELS
from model.preprocess import check_offline_family, preprocessing_for
from model.cue_tagger import CueTagger
from model.settings import TaggerSettings
from model.tagger import Tagger
from model.tfidf import TfidfTagger
from train import tiny
from train.config import TINY, ConfigError, RunConfig
from train.resilience import GracefulStop, ResumableTrainer, last_complete_checkpoint

PACKAGE = "arabic-news-roles"


def run(config: RunConfig) -> Path:
    """Train per `config` and return the run directory."""
    check_offline_family(config.model.preprocessing)
    run_dir = prepare_run_dir(config)
    examples = {split: read_examples(path) for split, path in _data_files(config).items()}
    tagger = TRAINERS[config.model.kind](config, examples, run_dir)
    if tagger is None:
        raise TrainingInterrupted(f"training stopped early by a signal; rerun the same command to resume from {run_dir}")
    if config.model.kind != "cues":
        tagger.settings = replace(tagger.settings, temperature=fit_dev_temperature(tagger, examples["dev"]))
    metrics = {split: report_split(tagger, config, split, run_dir) for split in ("dev", "test") if split in examples}
    card = render_card(config.name, _base_model(config), config.to_dict(), metrics)
    tagger.save_pretrained(run_dir / "model", card=card)
    write_json(run_dir / "provenance.json", provenance(config))
    return run_dir


def train_transformer(config: RunConfig, examples: dict[str, list[Example]], run_dir: Path) -> Tagger | None:
    """Fine-tune a BERT classifier with Trainer; return the best checkpoint (by dev macro-F1) as a Tagger.

    Returns None when a signal stopped training (a checkpoint was saved to resume from).
    """
    args = training_arguments(config, run_dir)
    preprocess = preprocessing_for(config.model.preprocessing)
    texts = {split: [preprocess(e.text) for e in rows] for split, rows in examples.items()}
    set_seed(config.training.get("seed", 42))
    tokenizer, model = load_base(config, texts["train"], run_dir)
    if config.model.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    datasets = {
        split: _dataset(texts[split], [e.label for e in examples[split]], tokenizer, config.model.max_length)
        for split in ("train", "dev")
    }
    stop = GracefulStop()
    trainer = ResumableTrainer(
        model=model,
        args=args,
        train_dataset=datasets["train"],
        eval_dataset=datasets["dev"],
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=trainer_metrics,
        compute_loss_func=weighted_loss([e.label for e in examples["train"]]) if config.class_weights else None,
        callbacks=[stop, *([EarlyStoppingCallback(config.early_stopping_patience)] if config.early_stopping_patience else [])],
    )
    trainer.train(resume_from_checkpoint=last_complete_checkpoint(run_dir / "checkpoints"))
    write_jsonl(run_dir / "train_log.jsonl", trainer.state.log_history)
    if stop.requested:
        return None
    settings = TaggerSettings(max_length=config.model.max_length, preprocessing=config.model.preprocessing)
    return Tagger(trainer.model, tokenizer, settings)


def train_tfidf(config: RunConfig, examples: dict[str, list[Example]], run_dir: Path) -> TfidfTagger:
    """Fit the TF-IDF + logistic regression baseline on the training split."""
    train = examples["train"]
    return TfidfTagger.fit([e.text for e in train], [e.label for e in train], c=config.model.tfidf.c,
                           class_weights=config.class_weights, preprocessing=config.model.preprocessing)


def cue_rules(config: RunConfig, examples: dict[str, list[Example]], run_dir: Path) -> CueTagger:
    """The cue-word baseline has nothing to train."""
    return CueTagger()


TRAINERS = {"transformer": train_transformer, "tfidf": train_tfidf, "cues": cue_rules}


def fit_dev_temperature(tagger, dev: list[Example]) -> float:
    """Temperature scaling: the T that minimises dev negative log-likelihood, from uncalibrated probabilities."""
    rows = predict_rows(tagger, dev)
    probabilities = np.array([[r["probabilities"][label] for label in LABELS] for r in rows])
    return fit_temperature(probabilities, [LABEL2ID[e.label] for e in dev])


def prepare_run_dir(config: RunConfig) -> Path:
    """Create the run directory, or accept an existing one only if it ran the same config."""
    run_dir = config.run_dir
    saved = run_dir / "config.yaml"
    if saved.is_file():
        previous = yaml.safe_load(saved.read_text(encoding="utf-8"))
        if previous != config.to_dict():
            changed = sorted(_diff_keys(previous, config.to_dict()))
            raise ConfigError(
                f"{run_dir} holds a run with a different config (changed: {', '.join(changed)}); "
                "choose another --output-dir, or delete the folder to start over. Nothing was changed."
            )
    run_dir.mkdir(parents=True, exist_ok=True)
    write_text(saved, yaml.safe_dump(config.to_dict(), allow_unicode=True, sort_keys=False))
    return run_dir


def load_base(config: RunConfig, train_texts: list[str], run_dir: Path):
    """The tokenizer and the classifier to fine-tune: the tiny from-scratch BERT or a pretrained model."""
    if config.model.name_or_path == TINY:
        tokenizer = tiny.load_or_train_tokenizer(run_dir / "tokenizer", train_texts, config.model.tiny.vocab_size)
        return tokenizer, tiny.build_model(config.model.tiny, len(tokenizer), config.model.max_length)
    name = config.model.name_or_path
    check_reachable(name)
    base_config = AutoConfig.from_pretrained(name, trust_remote_code=False)
    limit = getattr(base_config, "max_position_embeddings", None)
    if limit is not None and config.model.max_length > limit:
        raise ConfigError(f"model.max_length {config.model.max_length} exceeds {name}'s limit of {limit} positions")
    tokenizer = AutoTokenizer.from_pretrained(name, trust_remote_code=False)
    model = AutoModelForSequenceClassification.from_pretrained(
        name,
        num_labels=len(LABELS),
        id2label=dict(ID2LABEL),
        label2id=dict(LABEL2ID),
        use_safetensors=True,
        trust_remote_code=False,
    )
    return tokenizer, model


def check_reachable(name: str) -> None:
    """Fail at once, naming both ways out, when a hub model is neither local, cached nor reachable."""
    if Path(name).is_dir():
        return
    try:
        AutoConfig.from_pretrained(name, local_files_only=True)
        return
    except OSError:
        pass
    from huggingface_hub import HfApi

    try:
        HfApi().model_info(name, timeout=10)
    except Exception as error:  # no network, unknown repo, auth: all end the same way here
        raise ConfigError(
            f"cannot load {name!r}: it is not a local folder, not in the Hugging Face cache, and the hub "
            f"could not be reached ({type(error).__name__}: {error}). Either set model.name_or_path to a "
            "local copy of the model (a folder with config.json, tokenizer and model.safetensors), or "
            "train the offline model: python -m train --config configs/tiny.yaml"
        ) from None


class TrainingInterrupted(RuntimeError):
    """Training stopped on a signal after saving a checkpoint."""


def training_arguments(config: RunConfig, run_dir: Path) -> TrainingArguments:
    """TrainingArguments from the config's training section, plus what model selection needs.

    Built before any data or model is loaded, so that a bad value stops the run at once.
    """
    settings = {
        "eval_strategy": "epoch",
        "save_strategy": "epoch",
        "save_total_limit": 2,
        "load_best_model_at_end": True,
        "metric_for_best_model": "macro_f1",
        "greater_is_better": True,
        "report_to": "none",
        **config.training,
        "output_dir": str(run_dir / "checkpoints"),
    }
    cuda = torch.cuda.is_available()
    if "fp16" not in settings and "bf16" not in settings:
        settings.update(mixed_precision_flags(cuda, cuda and torch.cuda.is_bf16_supported()))
    settings.setdefault("dataloader_pin_memory", cuda)  # pinned memory only speeds copies to a GPU
    try:
        return TrainingArguments(**settings)
    except (TypeError, ValueError) as error:
        raise ConfigError(f"training: {error}") from None


def trainer_metrics(prediction: EvalPrediction) -> dict[str, float]:
    """Dev metrics for model selection: macro-F1 (the selection metric), accuracy, per-label F1."""
    logits = prediction.predictions[0] if isinstance(prediction.predictions, tuple) else prediction.predictions
    predicted = [ID2LABEL[i] for i in np.argmax(logits, axis=-1)]
    gold = [ID2LABEL[int(i)] for i in prediction.label_ids]
    metrics = classification_metrics(gold, predicted)
    return {
        "macro_f1": metrics["macro_f1"],
        "accuracy": metrics["accuracy"],
        **{f"f1_{label}": metrics["per_label"][label]["f1"] for label in LABELS},
    }


def weighted_loss(train_labels: list[str]):
    """Cross-entropy weighted by inverse label frequency (mean weight 1 over the training set)."""
    counts = np.array([max(train_labels.count(label), 1) for label in LABELS], dtype=np.float64)
    weights = torch.tensor(len(train_labels) / (len(LABELS) * counts), dtype=torch.float32)

    def loss(outputs, labels, num_items_in_batch=None):
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs.logits
        return torch.nn.functional.cross_entropy(
            logits.view(-1, len(LABELS)).float(), labels.view(-1), weight=weights.to(logits.device)
        )

    return loss


def report_split(tagger, config: RunConfig, split: str, run_dir: Path) -> dict:
    """Evaluate the final tagger on one split and write its report folder (test: with the extra checks)."""
    extras = {}
    if split == "test":
        extras = {
            "seed": read_examples(config.data.seed_article) if config.data.seed_article else None,
            "articles": read_examples(config.data.articles) if config.data.articles else None,
        }
    meta = {"model": str(run_dir / "model"), "data": getattr(config.data, split), "kind": config.model.kind,
            "run": config.name}
    report, rows = build_report(tagger, read_examples(getattr(config.data, split)), meta,
                                temperature=tagger.settings.temperature, **extras)
    write_report(run_dir / "reports" / split, report, rows)
    return report


def provenance(config: RunConfig) -> dict:
    """What produced the run: data hashes, package and library versions, git commit, machine."""
    import hashlib

    def sha256(path: str) -> str:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()

    return {
        "config_fingerprint": config.fingerprint(),
        "data": {split: {"path": path, "sha256": sha256(path)} for split, path in _data_files(config).items()},
        "versions": {name: _version(name) for name in (PACKAGE, "torch", "transformers", "datasets", "accelerate")},
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
    }


def _base_model(config: RunConfig) -> str:
    if config.model.kind == "transformer":
        return config.model.name_or_path
    return {"tfidf": "TF-IDF + logistic regression", "cues": "cue-word rules"}[config.model.kind]


def _data_files(config: RunConfig) -> dict[str, str]:
    files = {"train": config.data.train, "dev": config.data.dev, "test": config.data.test}
    return {split: path for split, path in files.items() if path}


def _dataset(texts: list[str], labels: list[str], tokenizer, max_length: int) -> Dataset:
    dataset = Dataset.from_dict({"text": texts, "label": [LABEL2ID[label] for label in labels]})
    return dataset.map(
        lambda batch: tokenizer(batch["text"], truncation=True, max_length=max_length),
        batched=True,
        remove_columns=["text"],
    )


def _diff_keys(old, new, prefix: str = "") -> set[str]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return {prefix.rstrip(".") or "(whole config)"} if old != new else set()
    keys = set(old) | set(new)
    return {k for key in keys for k in _diff_keys(old.get(key), new.get(key), f"{prefix}{key}.")}


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
