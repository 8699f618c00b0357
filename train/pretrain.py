"""Masked-word pretraining of the tiny BERT on unlabelled news before it is trained as a tagger.

Started from random weights, the tiny BERT learns every word from the few tens of thousands
of sentences it is trained on. A compact model that first learns the language from plain text
learns more from gold labels and from a teacher ("Well-Read Students Learn Better", Turc et al.
2019). With `model.tiny.pretrain.sentences: N`, the run first draws N unlabelled sentences as
distillation does (train/unlabelled.py: each corpus's training period, never a dev or test
article or sentence), learns the WordPiece vocabulary from them and the gold train texts, and
trains BERT's masked-word objective on both. The classifier then starts from that encoder.

The pretrained model lives beside the run folders (runs/pretrained-tiny/KEY/: config.json,
model.safetensors, the tokenizer, pretraining.json) and is reused by every run of the same text,
sizes and pretraining settings, so seeds and students share it. KEY covers all of them, the gold
train texts and the held-out files. An interrupted pretraining resumes from its last checkpoint.
"""

import hashlib
import json
import shutil
import sys
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path

import torch
from datasets import Dataset
from transformers import (BertForMaskedLM, BertForSequenceClassification, DataCollatorForLanguageModeling,
                          PreTrainedTokenizerFast, TrainingArguments, set_seed)
from transformers.modeling_outputs import MaskedLMOutput

from model.io import write_json, write_jsonl
from model.labels import ID2LABEL, LABEL2ID, LABELS
from train import tiny
from train.config import PretrainConfig, RunConfig
from train.resilience import GracefulStop, ResumableTrainer, TrainingInterrupted, last_complete_checkpoint
from train.run_dir import run_lock, shared_folder
from train.unlabelled import held_out_examples, held_out_hashes, unlabelled_sentences

PRETRAINED_TINY = "pretrained-tiny"
"""The folder, beside the run folders, that holds the pretrained tiny BERTs."""
DONE_FILE = "pretraining.json"
"""Written last: a folder without it holds an unfinished pretraining."""


class SparseMaskedLM(BertForMaskedLM):
    """BERT's masked-word model, scoring only the masked positions: the output layer over the whole
    vocabulary at every position would cost several times the tiny encoder itself."""

    accepts_loss_kwargs = True   # Trainer passes num_items_in_batch: the loss is each micro-batch's share

    def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, labels=None,
                num_items_in_batch=None, **kwargs) -> MaskedLMOutput:
        hidden = self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                           return_dict=True).last_hidden_state
        masked = labels != -100
        logits = self.cls(hidden[masked])
        count = num_items_in_batch if num_items_in_batch is not None else masked.sum().clamp(min=1)
        loss = torch.nn.functional.cross_entropy(logits.float(), labels[masked], reduction="sum") / count
        return MaskedLMOutput(loss=loss, logits=logits)


def pretrained_tiny(config: RunConfig, gold_texts: list[str], prepare: Callable[[str], str],
                    args: TrainingArguments):
    """The tokenizer and the tiny classifier whose encoder was pretrained per `model.tiny.pretrain`.

    `gold_texts` are the prepared gold train texts; `prepare` turns raw corpus text into model input text.
    """
    folder = pretraining_dir(config, gold_texts)
    if not (folder / DONE_FILE).is_file():
        busy = (f"{folder} is being pretrained by another run right now; start this run again when it is done, "
                "and it will reuse that pretraining (nothing was changed)")
        with run_lock(folder, busy) if args.distributed_state.is_main_process else nullcontext():
            if not (folder / DONE_FILE).is_file():
                pretrain(folder, config, gold_texts, prepare, args)
    args.distributed_state.wait_for_everyone()
    set_seed(args.seed)   # the classifier's new head follows the run's seed, not the pretraining's
    try:
        tokenizer = PreTrainedTokenizerFast.from_pretrained(folder)
        model = BertForSequenceClassification.from_pretrained(folder, num_labels=len(LABELS), id2label=dict(ID2LABEL),
                                                              label2id=dict(LABEL2ID), use_safetensors=True)
    except Exception as error:  # truncated or foreign files fail in several ways (safetensors, tokenizers, json)
        raise ValueError(f"{folder}: not a finished pretraining ({type(error).__name__}: {error}); delete the folder "
                         "to pretrain again") from None
    return tokenizer, model


def pretraining_dir(config: RunConfig, gold_texts: list[str]) -> Path:
    """Where the pretraining of these texts, sizes and settings lives (source.json says what its key covers)."""
    sizes = {key: value for key, value in asdict(config.model.tiny).items() if key != "pretrain"}
    pretrain = asdict(config.model.tiny.pretrain)
    source = {
        "pretrain": {**pretrain, "corpora": [str(Path(folder).resolve()) for folder in pretrain["corpora"]]},
        "tiny": sizes,
        "max_length": config.model.max_length,
        "normalization": config.model.normalization,
        "preprocessing": config.model.preprocessing,
        "gold": hashlib.sha256(json.dumps(gold_texts, ensure_ascii=False).encode()).hexdigest(),
        "held_out": held_out_hashes(config),
    }
    return shared_folder(config, PRETRAINED_TINY, source)


def pretraining_texts(config: RunConfig, gold_texts: list[str], prepare: Callable[[str], str]) -> list[str]:
    """The gold train texts, then the drawn unlabelled sentences, prepared as the tagger will read them."""
    pretrain = config.model.tiny.pretrain
    drawn = unlabelled_sentences(pretrain.corpora, held_out_examples(config), pretrain.sentences, pretrain.seed)
    return gold_texts + [prepare(row["text"]) for row in drawn]


def pretrain(folder: Path, config: RunConfig, gold_texts: list[str], prepare: Callable[[str], str],
             args: TrainingArguments) -> None:
    """Learn the vocabulary and train the masked-word objective into `folder`, resuming a checkpoint there."""
    pretrain_config, sizes = config.model.tiny.pretrain, config.model.tiny
    print(f"pretraining the tiny BERT on {pretrain_config.sentences} unlabelled sentences into {folder}",
          file=sys.stderr)
    texts = pretraining_texts(config, gold_texts, prepare)
    with args.main_process_first(local=False, desc="training the tiny tokenizer"):
        tokenizer = tiny.load_or_train_tokenizer(folder, texts, sizes.vocab_size)
    model = SparseMaskedLM(tiny.bert_config(sizes, len(tokenizer), config.model.max_length))
    dataset = Dataset.from_dict({"text": texts}).map(
        lambda batch: tokenizer(batch["text"], truncation=True, max_length=config.model.max_length,
                                return_special_tokens_mask=True),
        batched=True, remove_columns=["text"])
    stop = GracefulStop()
    trainer = ResumableTrainer(   # its length-grouped batch order survives a stop and resume
        model=model,
        args=pretraining_arguments(pretrain_config, folder, args),
        train_dataset=dataset,
        data_collator=DataCollatorForLanguageModeling(tokenizer, mlm_probability=pretrain_config.mlm_probability),
        callbacks=[stop],
    )
    trainer.train(resume_from_checkpoint=last_complete_checkpoint(folder / "checkpoints"))
    if stop.requested:
        raise TrainingInterrupted(f"pretraining stopped early by a signal; rerun the same command to resume {folder}")
    if trainer.is_world_process_zero():
        trained = trainer.accelerator.unwrap_model(trainer.model)
        trained.config.architectures = ["BertForMaskedLM"]   # the same weights: any BERT class reads them
        trained.save_pretrained(folder)
        write_jsonl(folder / "train_log.jsonl", trainer.state.log_history)
        losses = [entry["loss"] for entry in trainer.state.log_history if "loss" in entry]
        write_json(folder / DONE_FILE, {"sentences": len(texts) - len(gold_texts), "gold_texts": len(gold_texts),
                                        "steps": trainer.state.global_step, "first_loss": losses[0] if losses else None,
                                        "last_loss": losses[-1] if losses else None})
        shutil.rmtree(folder / "checkpoints", ignore_errors=True)   # only for resuming: the model is saved


def pretraining_arguments(pretrain: PretrainConfig, folder: Path, run_args: TrainingArguments) -> TrainingArguments:
    """The pretraining's own schedule, on the run's device and precision."""
    return TrainingArguments(
        output_dir=str(folder / "checkpoints"),
        num_train_epochs=pretrain.epochs,
        learning_rate=pretrain.learning_rate,
        per_device_train_batch_size=pretrain.batch_size,
        train_sampling_strategy="group_by_length",   # batches of like lengths: little padding to compute
        warmup_steps=0.1,   # a tenth of the steps
        weight_decay=0.01,
        seed=pretrain.seed,
        save_strategy="steps",
        save_steps=500,
        save_total_limit=1,
        logging_steps=0.05,   # twenty loss entries in the log, whatever the length
        report_to="none",
        dataloader_num_workers=0,
        fp16=run_args.fp16,
        bf16=run_args.bf16,
        use_cpu=run_args.use_cpu,
        dataloader_pin_memory=run_args.dataloader_pin_memory,
    )
