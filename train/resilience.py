"""Surviving interruptions: a graceful stop on SIGINT/SIGTERM, resuming only from complete
checkpoints, and a batch order that a run resumed mid-epoch replays exactly.

SIGKILL cannot be caught; what protects a run from it is that Trainer writes
trainer_state.json last in a checkpoint, and that a checkpoint without a readable one is
removed before resuming.
"""

import json
import shutil
import signal
import sys
from pathlib import Path

import torch
from transformers import Trainer, TrainerCallback
from transformers.trainer_pt_utils import LengthGroupedSampler
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR


class TrainingInterrupted(RuntimeError):
    """Training stopped on a signal after saving a checkpoint."""


def last_complete_checkpoint(folder: Path) -> str | None:
    """The newest checkpoint whose trainer_state.json is readable; incomplete newer ones are deleted."""
    if not folder.is_dir():
        return None
    checkpoints = sorted(
        (p for p in folder.glob(f"{PREFIX_CHECKPOINT_DIR}-*") if p.name.rsplit("-", 1)[1].isdigit()),
        key=lambda p: int(p.name.rsplit("-", 1)[1]),
        reverse=True,
    )
    for checkpoint in checkpoints:
        try:
            json.loads((checkpoint / "trainer_state.json").read_text(encoding="utf-8"))
            return str(checkpoint)
        except (OSError, ValueError):
            print(f"removing incomplete checkpoint {checkpoint} (interrupted while saving)", file=sys.stderr)
            shutil.rmtree(checkpoint)
    return None


class GracefulStop(TrainerCallback):
    """On SIGINT or SIGTERM, save a checkpoint at the end of the current step and stop; a second signal aborts."""

    def __init__(self):
        self.requested = False
        self._previous = {}

    def on_train_begin(self, args, state, control, **kwargs):
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)

    def on_train_end(self, args, state, control, **kwargs):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def on_step_end(self, args, state, control, **kwargs):
        if self.requested:
            control.should_training_stop = True
            if not _ends_epoch(state):
                control.should_save = True  # at an epoch's end, on_epoch_end saves
        return control

    def on_epoch_end(self, args, state, control, **kwargs):
        if not self.requested:
            return control
        if _ends_epoch(state):
            # The epoch is complete: evaluate as the schedule says, as the uninterrupted run
            # would, and save after it whatever the save strategy.
            control.should_save = True
        else:
            # Stopping mid-epoch still ends the epoch loop; an evaluation and a second save
            # here would replace the checkpoint's RNG state with one the uninterrupted run
            # never had (evaluation draws from it), and the resumed run would differ.
            control.should_evaluate = False
            control.should_save = False
        return control

    def on_save(self, args, state, control, **kwargs):
        # a line scripts (and the kill-and-resume test) can wait for
        print(f"checkpoint saved: step {state.global_step}", flush=True)

    def _handle(self, signum, frame):
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        print(f"\n{signal.Signals(signum).name} received: saving a checkpoint and stopping; "
              "rerun the same command to resume (send it again to abort now)", file=sys.stderr, flush=True)


def _ends_epoch(state) -> bool:
    """Whether the step just taken was an epoch's last (Trainer sets epoch to a whole number then)."""
    return state.epoch is not None and float(state.epoch).is_integer()


class EpochSeededLengthGroupedSampler(LengthGroupedSampler):
    """Length-grouped batches in an order drawn from `seed + epoch` alone.

    Trainer's own sampler draws from the global RNG, whose state differs when a stopped run
    restarts, so a resume in mid-epoch skipped the wrong batches and trained on others.
    """

    def __init__(self, batch_size: int, lengths: list[int], seed: int):
        super().__init__(batch_size, lengths=lengths)
        self.seed = seed
        self.set_epoch(0)

    def set_epoch(self, epoch: int) -> None:
        self.generator = torch.Generator().manual_seed(self.seed + epoch)


class ResumableTrainer(Trainer):
    """Trainer whose length-grouped batch order survives a stop and resume (see the sampler above)."""

    def _get_train_sampler(self, train_dataset=None):
        sampler = super()._get_train_sampler(train_dataset)
        if type(sampler) is LengthGroupedSampler:
            return EpochSeededLengthGroupedSampler(sampler.batch_size, sampler.lengths, self.args.seed)
        return sampler


class DistillTrainer(ResumableTrainer):
    """A ResumableTrainer whose training batches carry the teacher's probabilities and a gold flag.

    Its `compute_loss_func` is train.loss.distillation_loss; evaluation batches (dev, gold
    only) use plain cross-entropy. Batches with the teacher's [CLS] vectors also pass the
    student's, mapped to the teacher's width by the model's `vector_map` (train/run.py adds it
    for training only).
    """

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        teacher, gold = inputs.pop("teacher", None), inputs.pop("gold", None)
        teacher_vector = inputs.pop("teacher_vector", None)
        labels = inputs.pop("labels")
        outputs = model(**inputs, output_hidden_states=teacher_vector is not None)
        if teacher is None:
            loss = torch.nn.functional.cross_entropy(outputs.logits.float(), labels.view(-1))
        else:
            mapped = None
            if teacher_vector is not None:
                mapped = self.accelerator.unwrap_model(model).vector_map(outputs.hidden_states[-1][:, 0])
            loss = self.compute_loss_func(outputs.logits, labels, gold, teacher, num_items_in_batch, mapped,
                                          teacher_vector)
        return (loss, outputs) if return_outputs else loss
