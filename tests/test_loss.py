"""The training loss is normalised as Trainer expects: accumulating gradients over two batches
of 8 trains exactly as one batch of the same 16 examples, with and without class weights."""

import pytest
import torch
from transformers import TrainingArguments

from model.data import read_examples
from model.labels import LABEL2ID
from train.config import TinyModelConfig
from train.loss import classification_loss, inverse_frequency_weights
from train.resilience import ResumableTrainer
from train.tiny import build_model


def small_model():
    """The same small BERT classifier each call, without dropout (so that batches can be compared exactly)."""
    torch.manual_seed(0)
    return build_model(TinyModelConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                       intermediate_size=32, dropout=0.0), vocab_size=50, max_length=16)


def encoded(examples):
    return [{"input_ids": [2] + [5 + (i * 7 + j) % 40 for j in range(3 + i % 5)] + [3], "labels": LABEL2ID[e.label]}
            for i, e in enumerate(examples)]


def one_optimizer_step(examples, batch_size, accumulation, weights, tmp_path):
    """Parameters after one plain-SGD step (lr 1, no clipping) and the loss Trainer logged for it."""
    model, dataset = small_model(), encoded(examples)
    args = TrainingArguments(
        output_dir=str(tmp_path / f"b{batch_size}"), per_device_train_batch_size=batch_size,
        gradient_accumulation_steps=accumulation, max_steps=1, optim="sgd", learning_rate=1.0, warmup_steps=0,
        weight_decay=0.0, max_grad_norm=0.0, logging_steps=1, save_strategy="no", report_to="none", seed=1,
    )
    trainer = ResumableTrainer(model=model, args=args, train_dataset=dataset, compute_loss_func=classification_loss(weights),
                               data_collator=lambda rows: pad(rows))
    trainer.train()
    loss = next(entry["loss"] for entry in trainer.state.log_history if "loss" in entry)
    return {name: p.detach().clone() for name, p in model.named_parameters()}, loss


def pad(rows):
    width = max(len(r["input_ids"]) for r in rows)
    ids = torch.tensor([r["input_ids"] + [0] * (width - len(r["input_ids"])) for r in rows])
    return {"input_ids": ids, "attention_mask": (ids != 0).long(), "labels": torch.tensor([r["labels"] for r in rows])}


@pytest.mark.parametrize("class_weights", [False, True], ids=["unweighted", "class-weighted"])
def test_two_accumulated_batches_of_8_train_as_one_batch_of_16(fixtures, tmp_path, class_weights):
    examples = read_examples(fixtures / "train.jsonl")[:16]
    weights = inverse_frequency_weights([e.label for e in examples]) if class_weights else None
    whole, whole_loss = one_optimizer_step(examples, 16, 1, weights, tmp_path)
    accumulated, accumulated_loss = one_optimizer_step(examples, 8, 2, weights, tmp_path)
    assert accumulated_loss == pytest.approx(whole_loss, rel=1e-4)
    for name in whole:  # lr 1 and plain SGD: equal parameters after the step mean equal gradients
        torch.testing.assert_close(accumulated[name], whole[name], rtol=1e-5, atol=1e-6)
    model = small_model().eval()  # the loss of the 16 examples under the formula, in one forward pass
    with torch.no_grad():
        expected = classification_loss(weights)(model(**pad(encoded(examples))), pad(encoded(examples))["labels"], 16)
    assert whole_loss == pytest.approx(expected.item(), rel=1e-4)


def test_the_loss_is_the_weighted_sum_over_the_accumulated_batch_size():
    logits = torch.tensor([[2.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]])
    labels = torch.tensor([0, 1])
    weights = torch.tensor([1.0, 3.0, 1.0, 1.0])
    per_item = torch.nn.functional.cross_entropy(logits, labels, reduction="none")
    loss = classification_loss(weights)({"logits": logits}, labels, num_items_in_batch=4)
    assert loss.item() == pytest.approx((per_item[0] + 3 * per_item[1]).item() / 4)
    assert classification_loss()({"logits": logits}, labels).item() == pytest.approx(per_item.mean().item())


def test_distillation_with_no_kl_weight_is_cross_entropy_on_the_gold_rows_only():
    from train.loss import distillation_loss

    logits = torch.tensor([[2.0, 0.1, 0.3, -1.0], [0.2, 1.5, -0.3, 0.0], [0.0, 0.0, 3.0, 0.0]])
    labels, gold = torch.tensor([0, 1, 2]), torch.tensor([True, True, False])
    teacher = torch.full((3, 4), 0.25)
    expected = torch.nn.functional.cross_entropy(logits[:2], labels[:2], reduction="sum") / 3
    assert distillation_loss(None, 2.0, 0.0)(logits, labels, gold, teacher).item() == pytest.approx(expected.item())


def test_a_student_that_matches_its_teacher_has_no_soft_loss():
    from train.loss import distillation_loss, soften

    logits = torch.tensor([[1.0, 0.5, -0.5, 0.0], [0.3, -0.2, 0.8, 0.1]])
    teacher = torch.softmax(logits, dim=-1)   # the teacher's calibrated probabilities for the same logits
    loss = distillation_loss(None, 3.0, 1.0)(logits, torch.tensor([0, 2]), torch.tensor([False, False]), teacher)
    assert loss.item() == pytest.approx(0.0, abs=1e-6)
    assert torch.allclose(soften(teacher, 3.0), torch.softmax(logits / 3.0, dim=-1), atol=1e-6)


def test_the_vector_term_is_the_mean_squared_distance_to_the_teachers_vector_over_all_rows():
    from train.loss import distillation_loss

    logits, teacher = torch.zeros(2, 4), torch.full((2, 4), 0.25)   # the student already matches the teacher's probabilities
    mapped = torch.tensor([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
    teacher_vector = torch.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 3.0]])
    loss = distillation_loss(None, 2.0, 1.0, vector_weight=0.5)(
        logits, torch.tensor([0, 0]), torch.tensor([False, False]), teacher, 4, mapped, teacher_vector)
    assert loss.item() == pytest.approx(0.5 * (4 / 3 + 9 / 3) / 4)
