import torch

from model.device import autocast_dtype, choose_device, mixed_precision_flags


def test_device_is_cuda_when_present_else_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert choose_device().type == "cuda"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert choose_device().type == "cpu"


def test_requested_device_wins(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert choose_device("cpu") == torch.device("cpu")


def test_inference_dtype_is_bf16_or_fp16_on_cuda_and_fp32_on_cpu(monkeypatch):
    assert autocast_dtype(torch.device("cpu")) is None
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    assert autocast_dtype(torch.device("cuda")) is torch.bfloat16
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    assert autocast_dtype(torch.device("cuda")) is torch.float16


def test_training_mixed_precision_prefers_bf16_then_fp16():
    assert mixed_precision_flags(cuda_available=False, bf16_supported=False) == {"bf16": False, "fp16": False}
    assert mixed_precision_flags(cuda_available=True, bf16_supported=True) == {"bf16": True, "fp16": False}
    assert mixed_precision_flags(cuda_available=True, bf16_supported=False) == {"bf16": False, "fp16": True}


def test_training_pins_memory_only_for_a_gpu_unless_the_config_says(tmp_path, monkeypatch):
    from train.config import load_config
    from train.run import training_arguments

    monkeypatch.setattr("torch.cuda.is_available", lambda: False)
    config = load_config("configs/tiny.yaml", [f"output_dir={tmp_path}"])
    assert training_arguments(config, tmp_path).dataloader_pin_memory is False
    config = load_config("configs/tiny.yaml", [f"output_dir={tmp_path}", "training.dataloader_pin_memory=true"])
    assert training_arguments(config, tmp_path).dataloader_pin_memory is True


def test_each_process_takes_the_gpu_of_its_local_rank(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    for rank in ("0", "1", "3"):
        monkeypatch.setenv("LOCAL_RANK", rank)
        assert choose_device() == torch.device("cuda", int(rank))
    monkeypatch.delenv("LOCAL_RANK")
    assert choose_device() == torch.device("cuda", 0)


def test_batches_are_padded_to_a_multiple_of_8_only_in_half_precision():
    from types import SimpleNamespace

    from train.run import pad_multiple

    assert pad_multiple(SimpleNamespace(fp16=True, bf16=False)) == 8
    assert pad_multiple(SimpleNamespace(fp16=False, bf16=True)) == 8
    assert pad_multiple(SimpleNamespace(fp16=False, bf16=False)) is None
