"""int8 inference on CPU: export a transformer tagger to ONNX and quantize it dynamically (ONNX Runtime).

    python -m model quantize --model runs/tiny/model --out runs/tiny/model-int8

The folder holds model.onnx, the tokenizer and tagger.json (kind: onnx); it predicts
through the same interface, with the same preprocessing, batching and temperature.
"""

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from model.base import SentenceTagger
from model.batching import encode, sorted_batches
from model.io import write_folder
from model.labels import LABEL2ID
from model.prediction import Prediction, check_sentences, make_prediction
from model.preprocess import preprocessing_for
from model.settings import TaggerSettings, read_settings

ONNX_FILE = "model.onnx"
DEFAULT_BATCH = 32


class OnnxTagger(SentenceTagger):
    def __init__(self, session, tokenizer, settings: TaggerSettings):
        self.session, self.tokenizer, self.settings = session, tokenizer, settings
        self._preprocess = preprocessing_for(settings.preprocessing)

    @classmethod
    def from_pretrained(cls, path: str | os.PathLike, threads: int | None = None) -> "OnnxTagger":
        import onnxruntime
        from transformers import AutoTokenizer

        path = Path(path)
        settings = read_settings(str(path))
        options = onnxruntime.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
        session = onnxruntime.InferenceSession(str(path / ONNX_FILE), options, providers=["CPUExecutionProvider"])
        tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=False)
        return cls(session, tokenizer, settings)

    def predict(self, sentences: Sequence[str], batch_size: int | None = None) -> list[Prediction]:
        check_sentences(sentences)
        if not sentences:
            return []
        ids, truncated = encode(self.tokenizer, [self._preprocess(s) for s in sentences], self.settings.max_length)
        probabilities = np.empty((len(ids), len(LABEL2ID)), dtype=np.float32)
        for batch in sorted_batches(ids, batch_size or DEFAULT_BATCH, self.tokenizer.pad_token_id):
            (logits,) = self.session.run(["logits"], {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask})
            scaled = logits / self.settings.temperature
            exps = np.exp(scaled - scaled.max(axis=1, keepdims=True))
            probabilities[batch.indices] = exps / exps.sum(axis=1, keepdims=True)
        return [make_prediction(s, p, t) for s, p, t in zip(sentences, probabilities.tolist(), truncated)]


def export_int8(tagger, directory: str | os.PathLike, card: str | None = None) -> Path:
    """Export a transformer Tagger to ONNX, quantize its weights to int8, and save an `onnx` tagger folder."""
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
        tagger.tokenizer.save_pretrained(staging)
        replace(tagger.settings, kind="onnx").save(staging, card)

    write_folder(directory, fill)
    return Path(directory)
