"""The model card (README.md) written into every saved tagger."""

import yaml

from model.labels import LABELS

LICENSE_NOTE = (
    "The training data is derived from SaudiNewsNet (M. Alhagri, 2015, github.com/ParallelMazen/SaudiNewsNet), "
    "licensed CC BY-NC-SA 4.0; models trained on it carry the same terms: attribution, non-commercial use, "
    "share-alike."
)


def render_card(name: str, base_model: str, config: dict, metrics: dict[str, dict]) -> str:
    """A model card: what the model does, its eval metrics, training config, intended use, limits, license."""
    header = yaml.safe_dump(
        {"language": ["ar"], "license": "cc-by-nc-sa-4.0", "pipeline_tag": "text-classification", "tags": ["arabic", "news"]},
        allow_unicode=True,
        sort_keys=False,
    )
    lines = [
        "---",
        header.strip(),
        "---",
        "",
        f"# {name}: sentence roles in Arabic news",
        "",
        f"Tags each sentence of an Arabic news article as one of {', '.join(f'`{l}`' for l in LABELS)} "
        "(the label specification is data/LABELS.md of the arabic-news-roles package).",
        f"Base model: `{base_model}`.",
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
        "The folder is a standard Hugging Face model (safetensors weights, tokenizer, config with id2label); "
        "`tagger.json` records the preprocessing and max length the package applies.",
        "",
        "## Intended use and limits",
        "",
        "- Trained on the 2015 Saudi press (SaudiNewsNet), Modern Standard Arabic. Other periods, regions, "
        "dialects and genres will score lower.",
        "- A triage aid for editors and fact-checkers: it says how a sentence presents its information "
        "(a denial, an allegation, the news, context), not whether the information is true. It is not a fact-checker.",
        "- Denials and allegations are rare in news; expect lower precision on them than on reports and background.",
        "",
        "## Training configuration",
        "",
        "```yaml",
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False).strip(),
        "```",
        "",
        "## License",
        "",
        LICENSE_NOTE,
        "",
    ]
    return "\n".join(lines)
