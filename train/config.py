"""Run configuration: YAML files with dotted command-line overrides, validated before any model loads.

    name: tiny
    model: {name_or_path: tiny, max_length: 128}
    data: {train: data/train.jsonl, dev: data/dev.jsonl, test: data/test.jsonl}
    class_weights: true
    training: {learning_rate: 1.0e-3, num_train_epochs: 20}   # passed to TrainingArguments

Unknown keys get a did-you-mean, wrong types and impossible values a message naming
the key, and the `training` section is checked against TrainingArguments' fields.

YAML is read with only true/false as booleans (as YAML 1.2 does): `eval_strategy: no`
stays the string Trainer documents, and yes/no/on/off mean true/false where a key is a
boolean.
"""

import dataclasses
import difflib
import hashlib
import json
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from model.corpora import CorpusNotFound, corpus_kind
from model.data import CORPORA, KIND_WORDS
from model.preprocess import DEFAULT_MODEL, DEFAULT_NORMALIZATION
from model.settings import NORMALIZATIONS, read_settings

TRAINABLE_KINDS = ("transformer", "tfidf", "cues")
"""The tagger kinds `python -m train` makes (onnx copies come from `python -m model quantize`)."""

TINY = "tiny"
"""`model.name_or_path` value that builds a small BERT from scratch (offline demo and tests)."""


class ConfigError(ValueError):
    """A config file or override is invalid; the message names the key."""


class ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 booleans: true and false only, not yes/no/on/off."""


_BOOL_TAG = "tag:yaml.org,2002:bool"
ConfigLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ConfigLoader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
SWITCH_WORDS = {"yes": True, "on": True, "no": False, "off": False}
"""Words YAML 1.1 read as booleans; accepted as such where a key is a boolean."""


def read_yaml(text: str):
    """Parse config text with YAML 1.2 booleans."""
    return yaml.load(text, Loader=ConfigLoader)  # noqa: S506 - a SafeLoader subclass


CORPUS_FOLDERS = ["../shared/corpora/saudinewsnet", "../shared/corpora/ant"]
"""Where the raw corpora are read from by default (relative to the working directory)."""


@dataclass
class PretrainConfig:
    """Masked-word pretraining of the tiny BERT on unlabelled training-period news before it is trained
    (train/pretrain.py)."""

    sentences: int = 0
    """How many unlabelled sentences it reads (drawn as distillation's are: training periods, nothing held out);
    0: no pretraining, the tiny BERT starts from random weights."""
    corpora: list[str] = field(default_factory=lambda: list(CORPUS_FOLDERS))
    epochs: float = 1.0
    learning_rate: float = 1.0e-3
    batch_size: int = 64
    mlm_probability: float = 0.15
    """The share of word pieces masked for the model to fill in (BERT's 15%)."""
    seed: int = 0


@dataclass
class TinyModelConfig:
    """Size of the from-scratch BERT and its WordPiece vocabulary."""

    vocab_size: int = 8000
    hidden_size: int = 128
    num_hidden_layers: int = 2
    num_attention_heads: int = 2
    intermediate_size: int = 256
    dropout: float = 0.1
    """Dropout on hidden states and attention weights (BERT's default 0.1)."""
    pretrain: PretrainConfig = field(default_factory=PretrainConfig)


@dataclass
class TfidfModelConfig:
    """The TF-IDF baseline's classifier (word 1-2-grams and character 2-5-grams are fixed)."""

    c: float = 4.0
    """Inverse regularisation strength of the logistic regression."""


@dataclass
class ModelConfig:
    kind: str = "transformer"
    """transformer (fine-tuned BERT), tfidf (TF-IDF + logistic regression) or cues (the cue-word rules)."""
    name_or_path: str = DEFAULT_MODEL
    """A hub name, a local folder, or `tiny`."""
    max_length: int = 128
    normalization: str | None = DEFAULT_NORMALIZATION
    """Unicode normalisation before preprocessing (NFKC: presentation forms become letters; null: none)."""
    preprocessing: str | None = DEFAULT_MODEL
    """The arabert family whose ArabertPreprocessor is applied (None: raw text)."""
    freeze_word_embeddings: bool = False
    """Keep the pretrained word-embedding matrix fixed (fewer parameters for the optimizer to update)."""
    keep_layers: int | None = None
    """Keep only the base model's first k encoder layers (a shallow student initialised from a teacher)."""
    context: bool = False
    """Train with each sentence's position in its article (0: the title) as a marker token (model/context.py);
    recorded in the saved tagger. Transformer and tfidf kinds."""
    tiny: TinyModelConfig = field(default_factory=TinyModelConfig)
    tfidf: TfidfModelConfig = field(default_factory=TfidfModelConfig)


@dataclass
class DataConfig:
    train: str = "data/train.jsonl"
    dev: str = "data/dev.jsonl"
    test: str | None = "data/test.jsonl"
    articles: str | None = "data/test_articles.jsonl"
    """Whole labelled articles, evaluated in the test report (None: skip)."""
    seed_article: str | None = "seeds/seed_article.jsonl"
    """The out-of-domain seed article, evaluated in the test report (None: skip)."""
    corpora: list[str] | None = None
    """Train and select on these corpora's rows only (e.g. [saudinewsnet]); None: every row.
    Test reports always score every corpus, and each one apart."""


@dataclass
class DistillConfig:
    """Train on a teacher tagger's probabilities over unlabelled training-period text, as well as on gold."""

    teacher: str | None = None
    """A tagger folder (any kind); null: no distillation."""
    corpora: list[str] = field(default_factory=lambda: list(CORPUS_FOLDERS))
    """Raw corpus folders the unlabelled sentences come from (their training periods only; relative to the
    working directory)."""
    max_sentences: int = 20000
    """How many unlabelled sentences the teacher tags (a GPU user can raise it to millions)."""
    temperature: float = 2.0
    kl_weight: float = 0.5
    """α: the loss is (1 − α)·cross-entropy on gold + α·τ²·KL to the teacher (train/loss.py)."""
    vector_weight: float = 0.0
    """β: adds β·(mean squared distance between the student's final [CLS] vector, mapped to the teacher's
    width, and the teacher's) to the loss: a transformer teacher's whole sentence representation, not
    only its four probabilities (TinyBERT). 0: off."""
    proposer: str | None = None
    """A fast tagger folder (a first student, or the cue rules) that labels a larger pool of drawn sentences
    (pool_sentences) so the max_sentences the teacher tags are spread as evenly over its labels as the pool
    allows: a plain draw of news holds few denials. It only chooses which sentences the teacher reads; the
    targets are the teacher's. null: the first max_sentences of the draw."""
    pool_sentences: int = 0
    """How many sentences the proposer labels, drawn as the plain draw is (at least max_sentences)."""
    seed: int = 0


@dataclass
class RunConfig:
    name: str
    output_dir: str | None = None
    """The run directory (default runs/NAME)."""
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    distill: DistillConfig = field(default_factory=DistillConfig)
    class_weights: bool = False
    """Weight the loss by inverse label frequency (the rare denial and allegation labels)."""
    early_stopping_patience: int = 3
    """Evaluations without dev macro-F1 improvement before training stops (0: never)."""
    training: dict[str, Any] = field(default_factory=dict)
    """Passed through to transformers.TrainingArguments."""

    @property
    def run_dir(self) -> Path:
        return Path(self.output_dir or Path("runs") / self.name)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def fingerprint(self) -> str:
        """A hash of the resolved config: a run directory resumes only under the same one."""
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:16]


def load_config(path: str | Path, overrides: list[str] = ()) -> RunConfig:
    """Read a YAML config, apply `key.sub=value` overrides, and validate it."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        raw = read_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: invalid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    for override in overrides:
        apply_override(raw, override)
    config = build(RunConfig, _numbers(raw), where=str(path))
    config.training = training_switches(config.training)
    check_values(config)
    return config


def apply_override(raw: dict, override: str) -> None:
    """Set a dotted key in `raw` from `key.sub=value` (the value parsed as YAML)."""
    key, sep, value = override.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {override!r} must look like key.sub=value")
    *parents, last = key.strip().split(".")
    node = raw
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise ConfigError(f"override {override!r}: {part!r} is not a section")
        node = child
    try:
        node[last] = read_yaml(value) if value.strip() else None
    except yaml.YAMLError as error:
        raise ConfigError(f"override {override!r}: invalid value ({error})") from None


def build(cls: type, raw: dict, where: str) -> Any:
    """Instantiate dataclass `cls` from `raw`, checking keys and types recursively."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(raw).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, value in raw.items():
        if key not in fields:
            raise ConfigError(f"{where}: unknown key {key!r}{did_you_mean(key, fields)}")
        kwargs[key] = _convert(value, hints[key], f"{where}: {key}")
    missing = [n for n, f in fields.items() if n not in kwargs and _required(f)]
    if missing:
        raise ConfigError(f"{where}: missing required key(s) {', '.join(missing)}")
    return cls(**kwargs)


def plain_kind(hint: Any) -> type | None:
    """int, float or bool when a TrainingArguments field takes only that (or None); else None."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = {option for option in typing.get_args(hint) if option is not type(None)}
    else:
        options = {hint}
    return options.pop() if len(options) == 1 and options <= {int, float, bool} else None


def training_switches(training: dict[str, Any]) -> dict[str, Any]:
    """yes/no/on/off as booleans for TrainingArguments' boolean fields; strings everywhere else."""
    from transformers import TrainingArguments

    hints = typing.get_type_hints(TrainingArguments)
    booleans = {name for name, hint in hints.items() if plain_kind(hint) is bool}
    return {key: SWITCH_WORDS[value.lower()] if key in booleans and isinstance(value, str)
            and value.lower() in SWITCH_WORDS else value for key, value in training.items()}


def did_you_mean(key: str, choices) -> str:
    close = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_values(config: RunConfig) -> None:
    """Impossible values and unknown TrainingArguments keys, caught before anything loads."""
    from transformers import TrainingArguments

    known = {f.name for f in dataclasses.fields(TrainingArguments)}
    for key in config.training:
        if key not in known:
            raise ConfigError(f"training: unknown TrainingArguments key {key!r}{did_you_mean(key, known)}")
    hints = typing.get_type_hints(TrainingArguments)
    for key, value in config.training.items():
        kind = plain_kind(hints[key])
        if kind is not None and value is not None:
            _convert(value, kind, f"training.{key}")  # raises, naming the key, on a value of another type
    reserved = {"output_dir"} & set(config.training)
    if reserved:
        raise ConfigError("training.output_dir is set by the run; use the top-level output_dir instead")
    if config.model.max_length < 8:
        raise ConfigError(f"model.max_length must be at least 8, got {config.model.max_length}")
    rate = config.training.get("learning_rate")
    if rate is not None and (not isinstance(rate, (int, float)) or rate <= 0):
        raise ConfigError(f"training.learning_rate must be a positive number, got {rate!r}")
    for key in ("per_device_train_batch_size", "per_device_eval_batch_size", "gradient_accumulation_steps"):
        value = config.training.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise ConfigError(f"training.{key} must be a whole number of at least 1, got {value!r}")
    epochs = config.training.get("num_train_epochs")
    if epochs is not None and (not isinstance(epochs, (int, float)) or epochs <= 0):
        raise ConfigError(f"training.num_train_epochs must be positive, got {epochs!r}")
    tiny = config.model.tiny
    if tiny.hidden_size % tiny.num_attention_heads:
        raise ConfigError(
            f"model.tiny.hidden_size ({tiny.hidden_size}) must be a multiple of num_attention_heads "
            f"({tiny.num_attention_heads})"
        )
    if min(tiny.vocab_size, tiny.hidden_size, tiny.num_hidden_layers, tiny.intermediate_size) < 1:
        raise ConfigError("model.tiny sizes must all be positive")
    if not 0 <= tiny.dropout < 1:
        raise ConfigError(f"model.tiny.dropout must be at least 0 and below 1, got {tiny.dropout}")
    check_pretrain(config.model)
    if config.early_stopping_patience < 0:
        raise ConfigError("early_stopping_patience must be 0 (off) or more")
    if config.model.kind not in TRAINABLE_KINDS:
        raise ConfigError(f"model.kind must be one of {', '.join(TRAINABLE_KINDS)}, got {config.model.kind!r}")
    if config.model.normalization is not None and config.model.normalization not in NORMALIZATIONS:
        raise ConfigError(f"model.normalization must be null or one of {', '.join(NORMALIZATIONS)}, "
                          f"got {config.model.normalization!r}")
    if config.model.tfidf.c <= 0:
        raise ConfigError(f"model.tfidf.c must be positive, got {config.model.tfidf.c}")
    unknown = sorted(set(config.data.corpora or ()) - set(CORPORA))
    if unknown or config.data.corpora == []:
        raise ConfigError(f"data.corpora must list one or more of {', '.join(CORPORA)} (or be null), "
                          f"got {config.data.corpora!r}")
    check_distill(config)
    if config.model.context and config.model.kind == "cues":
        raise ConfigError("model.context: the cue rules take no context; set it for transformer or tfidf")
    for name in ("train", "dev", "test", "articles", "seed_article"):
        value = getattr(config.data, name)
        if value is not None and not Path(value).is_file():
            raise ConfigError(f"data.{name}: file not found: {value}")


def check_pretrain(model: ModelConfig) -> None:
    """Pretraining's values: for the tiny BERT only, with sizes and rates that can train."""
    pretrain = model.tiny.pretrain
    if pretrain.sentences < 0:
        raise ConfigError(f"model.tiny.pretrain.sentences must be 0 (off) or more, got {pretrain.sentences}")
    if pretrain.epochs <= 0 or pretrain.learning_rate <= 0 or pretrain.batch_size < 1:
        raise ConfigError("model.tiny.pretrain.epochs and learning_rate must be positive and batch_size at least 1, "
                          f"got {pretrain.epochs}, {pretrain.learning_rate} and {pretrain.batch_size}")
    if not 0 < pretrain.mlm_probability < 1:
        raise ConfigError(f"model.tiny.pretrain.mlm_probability must be between 0 and 1, got {pretrain.mlm_probability}")
    if not pretrain.corpora:
        raise ConfigError("model.tiny.pretrain.corpora must name one or more corpus folders")
    if pretrain.sentences and model.kind != "transformer":
        raise ConfigError(f"model.tiny.pretrain pretrains the tiny BERT; model.kind {model.kind!r} has no encoder to "
                          "pretrain: set model.tiny.pretrain.sentences to 0")
    if pretrain.sentences and model.name_or_path != TINY:
        raise ConfigError(f"model.tiny.pretrain pretrains the tiny BERT (model.name_or_path: {TINY}); "
                          f"{model.name_or_path!r} is already pretrained: set model.tiny.pretrain.sentences to 0")
    if pretrain.sentences:
        check_corpus_folders("model.tiny.pretrain.corpora", pretrain.corpora)


def check_corpus_folders(key: str, folders: list[str]) -> None:
    """Raw corpus folders that hold a corpus: refused now, with where to get one, not after the run has begun."""
    for folder in folders:
        try:
            corpus_kind(folder)
        except CorpusNotFound as error:
            raise ConfigError(f"{key}: {error}") from None


def check_distill(config: RunConfig) -> None:
    """Distillation's values: a teacher folder that exists, a student it can teach, sane weights."""
    distill = config.distill
    if config.model.keep_layers is not None and config.model.keep_layers < 1:
        raise ConfigError(f"model.keep_layers must be 1 or more (or null), got {config.model.keep_layers}")
    if distill.teacher is None:
        return
    check_tagger_folder("distill.teacher", distill.teacher)
    if config.model.kind != "transformer":
        raise ConfigError(f"distill.teacher needs a transformer student (model.kind), got {config.model.kind!r}")
    if config.model.context:
        raise ConfigError("model.context with distill.teacher: the unlabelled sentences carry no positions for "
                          "the teacher to read; distil without context")
    if not 0 <= distill.kl_weight <= 1:
        raise ConfigError(f"distill.kl_weight must be between 0 and 1, got {distill.kl_weight}")
    if distill.vector_weight < 0:
        raise ConfigError(f"distill.vector_weight must be 0 or more, got {distill.vector_weight}")
    if distill.vector_weight and read_settings(Path(distill.teacher)).kind != "transformer":
        raise ConfigError("distill.vector_weight needs a transformer teacher (its [CLS] vectors); "
                          f"{distill.teacher} is not one")
    if distill.temperature <= 0 or distill.max_sentences < 0:
        raise ConfigError("distill.temperature must be positive and distill.max_sentences 0 or more")
    check_proposer(distill)
    check_corpus_folders("distill.corpora", distill.corpora)


def check_tagger_folder(key: str, folder: str) -> None:
    """A saved tagger whose tagger.json reads: refused now, not after the unlabelled text is drawn."""
    if not (Path(folder) / "tagger.json").is_file():
        raise ConfigError(f"{key}: {folder} is not a saved tagger (no tagger.json)")
    try:
        read_settings(Path(folder))
    except ValueError as error:
        raise ConfigError(f"{key}: {error}") from None


def check_proposer(distill: DistillConfig) -> None:
    """A proposer needs a pool at least as large as the cap; a pool needs a proposer to choose from it."""
    if distill.proposer is None:
        if distill.pool_sentences:
            raise ConfigError("distill.pool_sentences without distill.proposer: nothing would choose from the pool")
        return
    check_tagger_folder("distill.proposer", distill.proposer)
    if distill.pool_sentences < distill.max_sentences:
        raise ConfigError(f"distill.pool_sentences ({distill.pool_sentences}) must be at least distill.max_sentences "
                          f"({distill.max_sentences}): the proposer chooses the teacher's sentences from the pool")


_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def _numbers(node: Any) -> Any:
    """Read '5e-4' as a number: YAML 1.1 (PyYAML) takes exponents without a dot for strings."""
    if isinstance(node, dict):
        return {key: _numbers(value) for key, value in node.items()}
    if isinstance(node, str) and _FLOAT.match(node):
        return float(node)
    return node


def _required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _convert(value: Any, hint: Any, where: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        hint = next(o for o in options if o is not type(None))
        origin = typing.get_origin(hint)
    if origin is dict or hint is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where} must be a mapping, got {type(value).__name__}")
        return value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is bool and isinstance(value, str) and value.lower() in SWITCH_WORDS:
        return SWITCH_WORDS[value.lower()]
    if hint in (int, float, str, bool) and (not isinstance(value, hint) or (hint is int and isinstance(value, bool))):
        raise ConfigError(f"{where} must be {KIND_WORDS[hint]}, got {value!r}")
    return value
