"""Which device and which floating-point type inference runs with."""

import os

import torch


def choose_device(requested: str | torch.device | None = None) -> torch.device:
    """The requested device, else this process's GPU when CUDA is present, else CPU.

    Under accelerate launch or torchrun each process takes the GPU of its LOCAL_RANK.
    """
    if requested is not None:
        try:
            device = torch.device(requested)
        except (RuntimeError, TypeError):
            raise ValueError(f"unknown device {requested!r}; expected cpu, cuda or cuda:N") from None
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"device {requested!r} was asked for, but CUDA is not available here")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return torch.device("cpu")


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """Half precision for CUDA (bf16 where supported, else fp16); None (stay fp32) elsewhere."""
    if device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


def mixed_precision_flags(cuda_available: bool, bf16_supported: bool) -> dict[str, bool]:
    """TrainingArguments flags for mixed precision on this machine: bf16, else fp16, else none."""
    if not cuda_available:
        return {"bf16": False, "fp16": False}
    return {"bf16": bf16_supported, "fp16": not bf16_supported}
