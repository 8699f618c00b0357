"""The int8 kind: a transformer tagger exported to ONNX and quantized dynamically (ONNX Runtime), for CPUs.

    python -m model quantize --model runs/tiny/model --out runs/tiny/model-int8

The folder holds model.onnx, the model's config.json, the tokenizer and tagger.json (kind:
onnx); it predicts through the same interface, preprocessing and temperature.
"""

import os
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np

from model.batching import Batch, scores_in_batches
from model.cli import check_count
from model.io import write_folder
from model.labels import LABEL2ID
from model.settings import TaggerSettings
from model.tagger import Tagger, is_tagger_folder

ONNX_FILE = "model.onnx"
DEFAULT_BATCH = 32


class OnnxTagger(Tagger):
    kind = "onnx"
    description = "an int8 ONNX copy of a fine-tuned transformer"
    required_files = ((ONNX_FILE,), ("tokenizer.json", "vocab.txt"))

    def __init__(self, session, tokenizer, settings: TaggerSettings, onnx_file: Path):
        super().__init__(settings)
        self.session, self.tokenizer, self.onnx_file = session, tokenizer, Path(onnx_file)

    @classmethod
    def _load(cls, folder: Path, settings: TaggerSettings, device=None, threads=None) -> "OnnxTagger":
        import onnxruntime
        from transformers import AutoConfig, AutoTokenizer

        from model.transformer_tagger import check_max_length

        if (folder / "config.json").is_file():
            check_max_length(settings, AutoConfig.from_pretrained(folder), folder)
        if device is not None and not str(device).startswith("cpu"):
            raise ValueError(f"the int8 (onnx) kind runs on the CPU; device {device!r} is not available to it")
        options = onnxruntime.SessionOptions()
        if threads is not None:
            check_count("threads", threads)
            options.intra_op_num_threads = threads
        try:
            session = onnxruntime.InferenceSession(str(folder / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own types for a damaged file
            raise ValueError(f"{folder / ONNX_FILE}: cannot load ({type(error).__name__})") from None
        tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
        return cls(session, tokenizer, settings, folder / ONNX_FILE)

    def _save_files(self, folder: Path) -> None:
        shutil.copyfile(self.onnx_file, folder / ONNX_FILE)
        if (self.onnx_file.parent / "config.json").is_file():
            shutil.copyfile(self.onnx_file.parent / "config.json", folder / "config.json")
        self.tokenizer.save_pretrained(folder)

    def _scores(self, texts: list[str], batch_size: int | None) -> tuple[np.ndarray, list[bool]]:
        return scores_in_batches(self.tokenizer, texts, self.settings.max_length, batch_size or DEFAULT_BATCH,
                                 self._forward, len(LABEL2ID))

    def _forward(self, batch: Batch) -> np.ndarray:
        (logits,) = self.session.run(["logits"], {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask})
        return logits


def export_int8(tagger, directory: str | os.PathLike, card: str | None = None) -> Path:
    """Export a transformer tagger to ONNX, quantize its weights to int8, and save an `onnx` tagger folder."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = tagger.model.to("cpu").eval()
    example = torch.ones((2, 8), dtype=torch.long)

    def fill(staging: Path) -> None:
        fp32 = staging / "model-fp32.onnx"
        torch.onnx.export(
            model, (), str(fp32), kwargs={"input_ids": example, "attention_mask": example},
            input_names=["input_ids", "attention_mask"], output_names=["logits"],
            dynamic_axes={"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                          "logits": {0: "batch"}},
            opset_version=17, dynamo=False,
        )
        quantize_dynamic(str(fp32), str(staging / ONNX_FILE), weight_type=QuantType.QInt8)
        fp32.unlink()
        model.config.save_pretrained(staging)
        tagger.tokenizer.model_max_length = tagger.settings.max_length
        tagger.tokenizer.save_pretrained(staging)
        replace(tagger.settings, kind="onnx").save(staging, card)

    write_folder(directory, fill, replaceable=is_tagger_folder)
    return Path(directory)
