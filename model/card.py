"""The model card (README.md) written into every saved tagger, with Hugging Face metadata."""

import os
from pathlib import Path

import yaml

from model.kinds import tagger_class
from model.labels import LABELS
from model.settings import HUB_ID

CORPUS_TERMS = {
    "saudinewsnet": (
        "SaudiNewsNet (M. Alhagri, 2015, github.com/ParallelMazen/SaudiNewsNet), licensed CC BY-NC-SA 4.0: "
        "models trained on it carry the same terms (attribution, non-commercial use, share-alike)."
    ),
    "ant": (
        "ANT Corpus v2.1 (A. Chouigui, O. Ben Khiroun, B. Elayeb; antcorpus.github.io): for research use; cite "
        "A. Chouigui, O. Ben Khiroun, B. Elayeb, An Arabic Multi-source News Corpus: Experimenting on "
        "Single-document Extractive Summarization, Arabian Journal for Science and Engineering 46(8), 2021, "
        "DOI 10.1007/s13369-020-05258-z. The article texts remain the outlets' own."
    ),
}
"""Each corpus's attribution and terms, cited by every card of a model trained on it."""
CORPUS_PERIODS = {"saudinewsnet": "the 2015 Saudi press (SaudiNewsNet)",
                  "ant": "five pan-Arab outlets in 2018 (ANT: Al Arabiya, BBC, CNN, France 24, Sky News Arabia)"}


def distilled_from(config: dict) -> list[str]:
    """The card's line naming the teacher of a distilled model (none for a model trained on gold alone)."""
    distill = config.get("distill") or {}
    if not distill.get("teacher"):
        return []
    chosen = (f", chosen from {distill['pool_sentences']} by the proposer `{portable(distill['proposer'])}` to spread "
              "them over its labels" if distill.get("proposer") else "")
    return [f"Distilled from the teacher `{portable(distill['teacher'])}`: trained on gold labels and on the teacher's "
            f"probabilities over up to {distill['max_sentences']} unlabelled training-period sentences{chosen} (KL at "
            f"temperature {distill['temperature']}, weight {distill['kl_weight']})."]


def pretrained_on(config: dict) -> list[str]:
    """The card's line on the tiny BERT's masked-word pretraining (none when it started from random weights)."""
    pretrain = ((config.get("model") or {}).get("tiny") or {}).get("pretrain") or {}
    if not pretrain.get("sentences"):   # the config allows it for the tiny BERT only
        return []
    return [f"Pretrained from random weights on masked words in up to {pretrain['sentences']} unlabelled "
            f"training-period sentences and the gold train texts ({pretrain['epochs']} epoch(s)) before training."]


def trained_corpora(config: dict) -> list[str]:
    """The corpora a run trained on: data.corpora, or both when it names none."""
    return list((config.get("data") or {}).get("corpora") or CORPUS_TERMS)


def render_card(name: str, kind: str, base_model: str, config: dict, metrics: dict[str, dict]) -> str:
    """A model card: what the model does, its eval metrics, training config, intended use, limits, license."""
    lines = [
        "---",
        yaml.safe_dump(card_metadata(name, kind, base_model, metrics, trained_corpora(config)), allow_unicode=True,
                       sort_keys=False).strip(),
        "---",
        "",
        f"# {name}: sentence roles in Arabic news",
        "",
        f"Tags each sentence of an Arabic news article as one of {', '.join(f'`{l}`' for l in LABELS)} "
        "(the label specification is data/LABELS.md of the arabic-news-roles package).",
        f"Kind: {kind}. Base model: `{portable(base_model)}`.",
        *pretrained_on(config),
        *distilled_from(config),
        "",
        "## Evaluation",
        "",
        "| split | n | accuracy | macro-F1 | " + " | ".join(f"F1 {l}" for l in LABELS) + " |",
        "| --- | ---: | ---: | ---: |" + " ---: |" * len(LABELS),
    ]
    for split, m in metrics.items():
        n = sum(v["support"] for v in m["per_label"].values())
        per_label = " | ".join(f"{m['per_label'][l]['f1']:.3f}" for l in LABELS)
        lines.append(f"| {split} | {n} | {m['accuracy']:.3f} | {m['macro_f1']:.3f} | {per_label} |")
    lines += [
        "",
        "## Use",
        "",
        "```python",
        "from model import Tagger",
        'tagger = Tagger.from_pretrained("PATH")',
        'tagger.tag_article(open("article.txt", encoding="utf-8").read())',
        "```",
        "",
        "`tagger.json` records what the package applies around the model: Unicode normalisation, the AraBERT "
        "preprocessing, the max length and the temperature fitted on dev.",
    ]
    if kind == "transformer":
        lines += [
            "The folder is also a standard Hugging Face model (safetensors weights, tokenizer, config with "
            "id2label): `pipeline(\"text-classification\", model=PATH)` and `AutoModelForSequenceClassification` "
            "load it, but they apply neither the normalisation and preprocessing nor the temperature; feed them "
            "text prepared as tagger.json says, and divide the logits by its temperature, to get the package's "
            "predictions.",
        ]
    lines += [
        "",
        "## Intended use and limits",
        "",
        f"- Trained on {' and '.join(CORPUS_PERIODS[c] for c in trained_corpora(config))}, Modern Standard "
        "Arabic. Other periods, regions, dialects and genres will score lower.",
        "- A triage aid for editors and fact-checkers: it says how a sentence presents its information "
        "(a denial, an allegation, the news, context), not whether the information is true. It is not a fact-checker.",
        "- Denials and allegations are rare in news; expect lower precision on them than on reports and background.",
        "",
        "## Training configuration",
        "",
        "```yaml",
        yaml.safe_dump(portable(config), allow_unicode=True, sort_keys=False).strip(),
        "```",
        "",
        "## License",
        "",
        "The training data is derived from:",
        "",
        *[f"- {CORPUS_TERMS[c]}" for c in trained_corpora(config)],
        "",
    ]
    return "\n".join(lines)


def card_metadata(name: str, kind: str, base_model: str, metrics: dict[str, dict],
                  corpora: list[str] = tuple(CORPUS_TERMS)) -> dict:
    """The card's YAML header, in the Hugging Face model card schema."""
    metadata = {"language": ["ar"]}
    if "saudinewsnet" in corpora:
        metadata["license"] = "cc-by-nc-sa-4.0"
    else:
        metadata.update({"license": "other", "license_name": "ant-corpus-citation",
                         "license_link": "https://antcorpus.github.io"})
    library_name = tagger_class(kind).library_name
    if library_name:
        metadata["library_name"] = library_name
    if library_name == "transformers":
        metadata["pipeline_tag"] = "text-classification"
    hub_id = hub_base_model(base_model)
    if hub_id:
        metadata["base_model"] = hub_id
    metadata["datasets"] = list(corpora)
    metadata["metrics"] = ["accuracy", "f1"]
    metadata["tags"] = ["arabic", "news", "sentence-classification"]
    if "test" in metrics:
        test = metrics["test"]
        metadata["model-index"] = [{
            "name": name,
            "results": [{
                "task": {"type": "text-classification", "name": "Sentence role tagging"},
                "dataset": {"name": "arabic-news-roles test split (SaudiNewsNet 2015 and ANT 2018)",
                            "type": "arabic-news-roles", "split": "test"},
                "metrics": [
                    {"type": "accuracy", "value": round(test["accuracy"], 4), "name": "accuracy"},
                    {"type": "f1", "value": round(test["macro_f1"], 4), "name": "macro-F1", "args": {"average": "macro"}},
                ],
            }],
        }]
    return metadata


def hub_base_model(name_or_path: str | None) -> str | None:
    """The hub id a model was fine-tuned from: the name itself, or for a local folder the base_model its card names."""
    if not name_or_path:
        return None
    folder = Path(name_or_path)
    if folder.is_dir():  # a local copy, e.g. from import-e5: its card says where it came from
        card = folder / "README.md"
        header = card.read_text(encoding="utf-8").split("---")[1] if card.is_file() else ""
        try:
            name = (yaml.safe_load(header) or {}).get("base_model")
        except (yaml.YAMLError, AttributeError):
            return None
        return name if isinstance(name, str) and HUB_ID.match(name) else None
    return name_or_path if HUB_ID.match(name_or_path) else None


def portable(value):
    """`value` with absolute paths made relative to here, or cut to their last two parts: no machine's paths."""
    if isinstance(value, dict):
        return {key: portable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [portable(item) for item in value]
    if isinstance(value, str) and os.path.isabs(value):
        path = Path(value)
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(Path("…", *path.parts[-2:]))
    return value
