"""Surviving interruptions: a graceful stop on SIGINT/SIGTERM, and resuming only from complete checkpoints.

SIGKILL cannot be caught; what protects a run from it is that Trainer writes
trainer_state.json last in a checkpoint, and that a checkpoint without a readable one is
removed before resuming.
"""

import json
import shutil
import signal
import sys
from pathlib import Path

from transformers import TrainerCallback
from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR


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
            control.should_save = True
            control.should_training_stop = True
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
