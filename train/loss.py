"""The training loss: cross-entropy, optionally weighted by inverse label frequency, normalised as Trainer expects.

Given `compute_loss_func`, Trainer neither averages over gradient-accumulation steps nor over
processes: it passes `num_items_in_batch`, the number of labelled items in the whole
accumulated batch (summed over processes), and expects the loss of each micro-batch to be
its share of that batch's loss. So the loss here is

    Σᵢ wᵢ · ℓᵢ / N

over the micro-batch's items i, with ℓᵢ the cross-entropy of item i, wᵢ the weight of its
gold label (1 without class weights) and N = num_items_in_batch (the micro-batch's own size
when Trainer gives none, as in evaluation). Accumulating two micro-batches of 8 then gives
exactly the loss and gradients of one batch of 16. (The weighted mean Σwℓ / Σw over the
accumulated batch would need Σw of micro-batches not yet seen, which Trainer cannot give.)
"""

from collections.abc import Callable, Sequence

import numpy as np
import torch

from model.labels import LABELS


def inverse_frequency_weights(train_labels: Sequence[str]) -> torch.Tensor:
    """One weight per label, inversely proportional to its count; their mean over the training items is 1."""
    counts = np.array([max(list(train_labels).count(label), 1) for label in LABELS], dtype=np.float64)
    return torch.tensor(len(train_labels) / (len(LABELS) * counts), dtype=torch.float32)


def classification_loss(weights: torch.Tensor | None = None) -> Callable:
    """Trainer's `compute_loss_func`: Σ wᵢ ℓᵢ / num_items_in_batch (see the module docstring)."""

    def loss(outputs, labels: torch.Tensor, num_items_in_batch: torch.Tensor | int | None = None) -> torch.Tensor:
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs.logits
        per_item = torch.nn.functional.cross_entropy(
            logits.view(-1, len(LABELS)).float(), labels.view(-1),
            weight=None if weights is None else weights.to(logits.device), reduction="none",
        )
        count = labels.numel() if num_items_in_batch is None else num_items_in_batch
        return per_item.sum() / count

    return loss


def soften(probabilities: torch.Tensor, temperature: float) -> torch.Tensor:
    """Probabilities at a higher temperature: p^(1/τ), renormalised (= softmax(z/τ) when p = softmax(z))."""
    logs = torch.log(probabilities.clamp_min(1e-12)) / temperature
    return torch.softmax(logs, dim=-1)


def distillation_loss(weights: torch.Tensor | None, temperature: float, kl_weight: float,
                      vector_weight: float = 0.0) -> Callable:
    """Knowledge distillation (Hinton et al. 2015), normalised as the module docstring says:

        Σᵢ [ (1 − α) · gᵢ · wᵢ · CEᵢ  +  α · τ² · KL(teacherᵢ,τ ‖ studentᵢ,τ)  +  β · ‖M sᵢ − tᵢ‖² / d ] / N

    gᵢ is 1 for a gold-labelled row and 0 for a row only the teacher labelled, α the KL
    weight, τ the temperature (τ² keeps the soft term's gradients on the scale of the
    hard one's), and N the number of rows, gold or not, in the accumulated batch. The last
    term (TinyBERT's, when β > 0) pulls the student's final [CLS] vector sᵢ, mapped by the
    trained matrix M to the teacher's width d, towards the teacher's tᵢ (standardised per dimension
    by train/distill.py).
    """

    def loss(logits: torch.Tensor, labels: torch.Tensor, gold: torch.Tensor, teacher: torch.Tensor,
             num_items_in_batch: torch.Tensor | int | None = None, mapped: torch.Tensor | None = None,
             teacher_vector: torch.Tensor | None = None) -> torch.Tensor:
        logits = logits.view(-1, len(LABELS)).float()
        hard = torch.nn.functional.cross_entropy(
            logits, labels.view(-1), weight=None if weights is None else weights.to(logits.device), reduction="none")
        target = soften(teacher.float(), temperature)
        student = torch.log_softmax(logits / temperature, dim=-1)
        soft = (target * (torch.log(target.clamp_min(1e-12)) - student)).sum(dim=-1)
        per_item = (1 - kl_weight) * gold.float() * hard + kl_weight * temperature ** 2 * soft
        if vector_weight:
            per_item = per_item + vector_weight * (mapped.float() - teacher_vector.float()).pow(2).mean(dim=-1)
        count = labels.numel() if num_items_in_batch is None else num_items_in_batch
        return per_item.sum() / count

    return loss
