"""The training flow: config -> data -> model -> Trainer -> best tagger, reports and provenance.

    python -m train --config configs/tiny.yaml [--output-dir DIR] [key.sub=value ...]

The run directory (default runs/NAME) holds config.yaml (resolved), provenance.json,
train_log.jsonl, checkpoints/ (Trainer's, for resuming), model/ (the best tagger) and
reports/{dev,test}/. Rerunning the same command resumes from the last checkpoint.
"""

import os
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from accelerate import PartialState
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
from eval.report import build_report, write_report
from model.card import render_card
from model.context import with_context
from model.data import Example, read_examples
from model.device import mixed_precision_flags
from model.io import write_json, write_jsonl
from model.labels import ID2LABEL, LABEL2ID, LABELS
from model.cue_tagger import CueTagger
from model.preprocess import check_offline_family, text_preparation
from model.settings import TaggerSettings
from model.tfidf import TfidfTagger
from model.transformer_tagger import TransformerTagger
from train import tiny
from train.config import TINY, ConfigError, RunConfig
from train.distill import teacher_targets
from train.loss import classification_loss, distillation_loss, inverse_frequency_weights
from train.provenance import provenance
from train.pretrain import pretrained_tiny
from train.resilience import (DistillTrainer, GracefulStop, ResumableTrainer, TrainingInterrupted,
                              last_complete_checkpoint)
from train.run_dir import check_run_dir, run_lock, write_run_config


def run(config: RunConfig) -> Path:
    """Train per `config` and return the run directory.

    The config, TrainingArguments, the data files and the run directory are all checked
    before anything is written. Under `accelerate launch` or torchrun every process
    trains, and the main process alone writes: the tokenizer it builds (which the others
    then read), checkpoints, the temperature, reports, the model folder and provenance.
    """
    check_offline_family(config.model.preprocessing)
    run_dir = check_run_dir(config)
    examples = {split: read_examples(path) for split, path in _data_files(config).items()}
    examples.update({split: select_corpora(examples[split], config.data.corpora, path)
                     for split, path in _data_files(config).items() if split in ("train", "dev")})
    args = training_arguments(config, run_dir) if config.model.kind == "transformer" else None
    processes = args.distributed_state if args is not None else PartialState()
    with run_lock(run_dir) if processes.is_main_process else nullcontext():
        if processes.is_main_process:
            write_run_config(config)
        tagger = TRAINERS[config.model.kind](config, examples, run_dir, args)
        if tagger is None:
            raise TrainingInterrupted(f"training stopped early by a signal; rerun the same command to resume from "
                                      f"{run_dir}")
        if processes.is_main_process:
            finish_run(tagger, config, examples, run_dir)
        processes.wait_for_everyone()
    return run_dir


def finish_run(tagger, config: RunConfig, examples: dict[str, list[Example]], run_dir: Path) -> None:
    """Fit the temperature on dev, write the reports, the model folder (with its card) and provenance."""
    if not tagger.scores_are_probabilities:
        tagger.settings = replace(tagger.settings, temperature=fit_dev_temperature(tagger, examples["dev"]))
    metrics = {split: report_split(tagger, config, split, run_dir) for split in ("dev", "test") if split in examples}
    base_model = config.model.name_or_path if config.model.kind == "transformer" else tagger.description
    card = render_card(config.name, tagger.kind, base_model, config.to_dict(), metrics)
    tagger.save_pretrained(run_dir / "model", card=card)
    write_json(run_dir / "provenance.json", provenance(config.fingerprint(), _data_files(config)))


def train_transformer(
    config: RunConfig, examples: dict[str, list[Example]], run_dir: Path, args: TrainingArguments
) -> TransformerTagger | None:
    """Fine-tune a BERT classifier with Trainer; return the best checkpoint (by dev macro-F1) as a tagger.

    Returns None when a signal stopped training (a checkpoint was saved to resume from).
    """
    settings = TaggerSettings(max_length=config.model.max_length, normalization=config.model.normalization,
                              preprocessing=config.model.preprocessing, context=config.model.context)
    prepare = text_preparation(settings.normalization, settings.preprocessing)
    texts = {split: with_context([prepare(e.text) for e in rows], positions(rows, config))
             for split, rows in examples.items()}
    gold_texts, targets = texts["train"], None
    if config.distill.teacher:
        with args.main_process_first(local=False, desc="the teacher tags the unlabelled sentences"):
            targets = teacher_targets(config, examples["train"])
        texts["train"] = [prepare(t["text"]) for t in targets]  # gold rows, then unlabelled: all the student reads
    set_seed(args.seed)
    if config.model.tiny.pretrain.sentences:   # the config allows it for the tiny BERT only
        tokenizer, model = pretrained_tiny(config, gold_texts, prepare, args)
    else:
        tokenizer, model = load_base(config, texts["train"], run_dir, args)
    if config.model.freeze_word_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    datasets = {"dev": _dataset(texts["dev"], [e.label for e in examples["dev"]], tokenizer, config.model.max_length)}
    weights = inverse_frequency_weights([e.label for e in examples["train"]]) if config.class_weights else None
    trainer_class, loss = ResumableTrainer, classification_loss(weights)
    if targets is None:
        datasets["train"] = _dataset(texts["train"], [e.label for e in examples["train"]], tokenizer,
                                     config.model.max_length)
    else:
        datasets["train"] = _distill_dataset(targets, texts["train"], tokenizer, config.model.max_length)
        trainer_class, loss = DistillTrainer, distillation_loss(weights, config.distill.temperature,
                                                                config.distill.kl_weight, config.distill.vector_weight)
        if config.distill.vector_weight:
            model.vector_map = vector_map(model.config.hidden_size, len(targets[0]["teacher_vector"]))
        args.remove_unused_columns = False  # keep the gold flag and the teacher's probabilities
    stop = GracefulStop()
    trainer = trainer_class(
        model=model,
        args=args,
        train_dataset=datasets["train"],
        eval_dataset=datasets["dev"],
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer, pad_to_multiple_of=pad_multiple(args)),
        compute_metrics=trainer_metrics,
        compute_loss_func=loss,
        callbacks=[stop, *([EarlyStoppingCallback(config.early_stopping_patience)] if config.early_stopping_patience else [])],
    )
    trainer.train(resume_from_checkpoint=last_complete_checkpoint(run_dir / "checkpoints"))
    if trainer.is_world_process_zero():
        write_jsonl(run_dir / "train_log.jsonl", trainer.state.log_history)
    if stop.requested:
        return None
    if hasattr(trainer.model, "vector_map"):
        del trainer.model.vector_map  # a training aid: the saved student is a plain classifier
    return TransformerTagger(trainer.model, tokenizer, settings)


def vector_map(student_width: int, teacher_width: int) -> torch.nn.Linear:
    """The trained matrix (TinyBERT's W_h) from the student's [CLS] vector to the teacher's."""
    return torch.nn.Linear(student_width, teacher_width)


def pad_multiple(args: TrainingArguments) -> int | None:
    """Pad batches to a multiple of 8 under fp16 or bf16, the shapes tensor cores run fastest; else no extra padding."""
    return 8 if args.fp16 or args.bf16 else None


def train_tfidf(config: RunConfig, examples: dict[str, list[Example]], run_dir: Path, args=None) -> TfidfTagger:
    """Fit the TF-IDF + logistic regression baseline on the training split."""
    train = examples["train"]
    return TfidfTagger.fit([e.text for e in train], [e.label for e in train], c=config.model.tfidf.c,
                           class_weights=config.class_weights, preprocessing=config.model.preprocessing,
                           normalization=config.model.normalization, contexts=positions(train, config))


def positions(examples: list[Example], config: RunConfig) -> list[int | None] | None:
    """Each example's position in its article, when the run trains with context; else None."""
    return [e.position for e in examples] if config.model.context else None


def cue_rules(config: RunConfig, examples: dict[str, list[Example]], run_dir: Path, args=None) -> CueTagger:
    """The cue-word baseline has nothing to train."""
    return CueTagger(TaggerSettings(kind="cues", normalization=config.model.normalization))


TRAINERS = {"transformer": train_transformer, "tfidf": train_tfidf, "cues": cue_rules}
"""How each trainable kind (train.config.TRAINABLE_KINDS) is trained."""


def fit_dev_temperature(tagger, dev: list[Example]) -> float:
    """Temperature scaling: the T that minimises dev negative log-likelihood, from uncalibrated probabilities."""
    contexts = [e.position for e in dev] if tagger.settings.context else None
    return fit_temperature(tagger.predict_proba([e.text for e in dev], contexts), [LABEL2ID[e.label] for e in dev])


def load_base(config: RunConfig, train_texts: list[str], run_dir: Path, args: TrainingArguments):
    """The tokenizer and the classifier to fine-tune: the tiny from-scratch BERT or a pretrained model
    (the tiny BERT pretrained on unlabelled news comes from train/pretrain.py instead).

    The tiny model's WordPiece training is not reproducible, so the main process trains
    it and saves it in the run directory, and the other processes read that one.
    """
    if config.model.name_or_path == TINY:
        with args.main_process_first(local=False, desc="training the tiny tokenizer"):
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
    if config.model.keep_layers is not None:
        keep_first_layers(model, config.model.keep_layers)
    return tokenizer, model


def keep_first_layers(model, count: int) -> None:
    """Cut the encoder to its first `count` layers (DistilBERT-style student initialised from its teacher)."""
    layers = model.base_model.encoder.layer
    if count > len(layers):
        raise ConfigError(f"model.keep_layers {count} exceeds the base model's {len(layers)} layers")
    model.base_model.encoder.layer = torch.nn.ModuleList(list(layers)[:count])
    model.config.num_hidden_layers = count


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


def training_arguments(config: RunConfig, run_dir: Path) -> TrainingArguments:
    """TrainingArguments from the config's training section, plus what model selection needs.

    Built before anything is written to the run directory, so that a bad value leaves it as it was.
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
    if not cuda and int(os.environ.get("WORLD_SIZE", "1")) > 1:
        # several processes on CPUs (torchrun): without use_cpu, accelerate takes each for a run of its own
        settings.setdefault("use_cpu", True)
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


def select_corpora(examples: list[Example], corpora: list[str] | None, path: str) -> list[Example]:
    """The rows of `corpora` (all rows for None); an empty selection is an error that names the file."""
    if corpora is None:
        return examples
    kept = [e for e in examples if e.corpus in corpora]
    if not kept:
        found = sorted({e.corpus or "(no corpus field)" for e in examples})
        raise ConfigError(f"data.corpora {corpora}: {path} has no such rows (its corpora: {', '.join(found)})")
    return kept


def _data_files(config: RunConfig) -> dict[str, str]:
    files = {"train": config.data.train, "dev": config.data.dev, "test": config.data.test}
    return {split: path for split, path in files.items() if path}


def _distill_dataset(targets: list[dict], texts: list[str], tokenizer, max_length: int) -> Dataset:
    """Gold and teacher-only rows (`texts`: each target's prepared text): `labels` is the gold label or, where
    there is none, the teacher's choice (counted in N but weighted 0 for cross-entropy: see train/loss.py)."""
    dataset = Dataset.from_dict({
        "text": texts,
        "labels": [t["gold"] if t["gold"] is not None else int(np.argmax(t["teacher"])) for t in targets],
        "gold": [t["gold"] is not None for t in targets],
        "teacher": [t["teacher"] for t in targets],
        **({"teacher_vector": [t["teacher_vector"] for t in targets]} if "teacher_vector" in targets[0] else {}),
    })
    return dataset.map(lambda batch: tokenizer(batch["text"], truncation=True, max_length=max_length),
                       batched=True, remove_columns=["text"])


def _dataset(texts: list[str], labels: list[str], tokenizer, max_length: int) -> Dataset:
    dataset = Dataset.from_dict({"text": texts, "label": [LABEL2ID[label] for label in labels]})
    return dataset.map(
        lambda batch: tokenizer(batch["text"], truncation=True, max_length=max_length),
        batched=True,
        remove_columns=["text"],
    )
