"""Render a report dict as Markdown and as a self-contained HTML page (plots inlined)."""

import base64
import html

import markdown_it

from model.labels import LABELS


def render_markdown(report: dict, images: dict[str, bytes]) -> str:
    """The report's tables and plots (as file links) in Markdown."""
    return "\n".join(_sections(report, image=lambda name: f"![{name}]({name})"))


def render_html(report: dict, images: dict[str, bytes]) -> str:
    """The same content as report.md, as one HTML file with the plots embedded as data URIs."""

    def image(name: str) -> str:
        data = base64.b64encode(images[name]).decode()
        return f'<img alt="{name}" src="data:image/png;base64,{data}">'

    body = markdown_it.MarkdownIt("commonmark", {"html": True}).enable("table").render(
        "\n".join(_sections(report, image=image))
    )
    title = html.escape(f"Evaluation: {report['meta'].get('model', '')}")
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>\n<style>'
        "body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;line-height:1.45}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em}"
        "td:not(:first-child){text-align:right}td[dir=rtl]{text-align:right}img{max-width:480px}"
        f"</style></head><body>\n{body}</body></html>\n"
    )


def _sections(report: dict, image) -> list[str]:
    meta = report["meta"]
    intervals = report["intervals"]
    lines = [
        f"# Evaluation: {meta.get('model', '?')}",
        "",
        f"Data: `{meta.get('data', '?')}`: {meta['n']} sentences, hash `{meta['data_hash'][:12]}`. "
        f"Intervals: 95% bootstrap over articles, {meta['resamples']} resamples. "
        f"Macro-F1 averages over the labels this file holds: {', '.join(report.get('macro_labels', LABELS))}.",
        "",
        "| metric | value | 95% interval |",
        "| --- | ---: | ---: |",
    ]
    for name in ("accuracy", "macro_f1"):
        i = intervals[name]
        lines.append(f"| {name} | {i['value']:.3f} | {i['low']:.3f} to {i['high']:.3f} |")
    lines += ["", "## Per label", "", "| label | precision | recall | F1 | F1 95% interval | support |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for label in LABELS:
        m, i = report["per_label"][label], intervals[f"f1_{label}"]
        lines.append(f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{i['low']:.3f} to {i['high']:.3f} | {m['support']} |")
    lines += ["", "## Confusion matrix", "", "Rows: gold; columns: predicted.", "",
              "| gold \\ predicted | " + " | ".join(LABELS) + " |", "| --- |" + " ---: |" * len(LABELS)]
    for label, row in zip(LABELS, report["confusion_matrix"]["matrix"]):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    lines += ["", image("confusion_matrix.png"), "", "## Most frequent confusions", ""]
    for c in report["confusions"]:
        lines.append(f"- **{c['gold']} → {c['predicted']}** ({c['count']}):")
        lines += [f"  - {_quote(t)}" for t in c["examples"]]
    lines += _calibration(report["calibration"], image)
    lines += _by_corpus(report.get("by_corpus", {}))
    lines += _breakdown("By newspaper", report["by_source"])
    lines += _breakdown("With and without a denial/allegation cue word", report["by_cue"])
    if "seed_article" in report:
        seed = report["seed_article"]
        lines += ["", "## Seed article (out of domain: a 2024 article from another outlet)", "",
                  f"accuracy {seed['accuracy']:.3f}, macro-F1 {seed['macro_f1']:.3f}", "",
                  "| # | gold | predicted | score |", "| --- | --- | --- | ---: |"]
        for n, s in enumerate(seed["sentences"], 1):
            mark = "" if s["gold"] == s["label"] else " ✗"
            lines.append(f"| {n} | {s['gold']} | {s['label']}{mark} | {s['score']:.2f} |")
    if "test_articles" in report:
        a = report["test_articles"]
        lines += ["", "## Whole articles (data/test_articles.jsonl, natural label distribution)", "",
                  f"- articles: {a['articles']}; mean per-article accuracy: {a['mean_article_accuracy']:.3f}; "
                  f"every sentence right: {a['articles_all_correct']}",
                  f"- articles with a denial: {a['articles_with_denial']}; every denial found: "
                  f"{a['articles_every_denial_found']}",
                  f"- articles with an allegation: {a['articles_with_allegation']}; every allegation found: "
                  f"{a['articles_every_allegation_found']}", ""]
    return lines + [""]


def _calibration(calibration: dict, image) -> list[str]:
    lines = ["", "## Calibration", ""]
    if "before_scaling" in calibration:
        lines.append(f"Temperature scaling (T = {calibration['temperature']:.3f}, fitted on dev): "
                     f"ECE {calibration['before_scaling']['ece']:.3f} before, {calibration['ece']:.3f} after.")
    else:
        lines.append(f"ECE {calibration['ece']:.3f} (no temperature scaling).")
    return lines + ["", image("reliability.png")]


def _by_corpus(groups: dict) -> list[str]:
    if not groups:
        return []
    lines = ["", "## By corpus", "", "| corpus | n | accuracy | macro-F1 | macro-F1 95% interval | denial F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, g in groups.items():
        i = g["intervals"]["macro_f1"]
        lines.append(f"| {name} | {g['n']} | {g['accuracy']:.3f} | {g['macro_f1']:.3f} | "
                     f"{i['low']:.3f} to {i['high']:.3f} | {g['per_label']['denial']['f1']:.3f} |")
    return lines


def _breakdown(title: str, groups: dict) -> list[str]:
    lines = ["", f"## {title}", "", "| group | n | accuracy | macro-F1 |", "| --- | ---: | ---: | ---: |"]
    for name, g in groups.items():
        lines.append(f"| {name} | {g['n']} | {g['accuracy']:.3f} | {g['macro_f1']:.3f} |")
    return lines


def _quote(text: str) -> str:
    text = text if len(text) <= 160 else text[:157] + "..."
    return f'<span dir="rtl">{html.escape(text)}</span>'
