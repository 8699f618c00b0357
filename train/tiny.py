"""A small BERT built from scratch, with a WordPiece tokenizer trained on the training text.

It needs no download, so the offline demo and the tests can train a real tagger end to end.
"""

from collections.abc import Iterable
from pathlib import Path

from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertForMaskedLM, BertForSequenceClassification, PreTrainedTokenizerFast

from model.labels import ID2LABEL, LABEL2ID
from train.config import TinyModelConfig

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def train_tokenizer(texts: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """Train a BERT-style WordPiece tokenizer on `texts` (already preprocessed)."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, show_progress=False)
    tokenizer.train_from_iterator(texts, trainer=trainer)
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)]
    )
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=512,
    )


def load_or_train_tokenizer(folder: Path, texts: Iterable[str], vocab_size: int) -> PreTrainedTokenizerFast:
    """Reuse the run's tokenizer when resuming, so checkpoints and vocabulary stay in step."""
    if (folder / "tokenizer.json").is_file():
        return PreTrainedTokenizerFast.from_pretrained(folder)
    tokenizer = train_tokenizer(texts, vocab_size)
    tokenizer.save_pretrained(folder)
    return tokenizer


def bert_config(config: TinyModelConfig, vocab_size: int, max_length: int) -> BertConfig:
    """The configured size as a BertConfig with the tagger's labels (shared by the classifier and its pretraining)."""
    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=config.hidden_size,
        num_hidden_layers=config.num_hidden_layers,
        num_attention_heads=config.num_attention_heads,
        intermediate_size=config.intermediate_size,
        hidden_dropout_prob=config.dropout,
        attention_probs_dropout_prob=config.dropout,
        max_position_embeddings=max(max_length, 128),
        num_labels=len(LABEL2ID),
        id2label=dict(ID2LABEL),
        label2id=dict(LABEL2ID),
    )


def build_model(config: TinyModelConfig, vocab_size: int, max_length: int) -> BertForSequenceClassification:
    """A randomly initialised BERT classifier of the configured size."""
    return BertForSequenceClassification(bert_config(config, vocab_size, max_length))


def build_masked_lm(config: TinyModelConfig, vocab_size: int, max_length: int) -> BertForMaskedLM:
    """A randomly initialised BERT of the configured size with its masked-word head, for pretraining."""
    return BertForMaskedLM(bert_config(config, vocab_size, max_length))
