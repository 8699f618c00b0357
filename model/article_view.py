"""Articles as a reader sees them: one self-contained HTML page, each sentence coloured by its role.

    python -m model tag --model DIR article.txt --title "..." --html page.html
    python -m model tag --model DIR articles.jsonl --html page.html   # lines {"id", "title", "text"}

The page has a legend and counts per label, a list of the denials and allegations at the
top that links to each sentence, and every article with its title; hovering a sentence
shows its four probabilities. It is right-to-left with an Arabic font stack, needs no
network or script, and escapes all article text.
"""

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

from model.context import article_positions
from model.labels import LABELS
from model.prediction import Prediction
from model.splitter import split_sentences

LABEL_NAMES = {"report": "خبر", "denial": "نفي", "allegation": "ادعاء", "background": "خلفية"}
"""Each label's Arabic name, shown beside the English one."""
FLAGGED = ("denial", "allegation")
"""The labels listed at the top of the page."""
EXCERPT_WORDS = 14


@dataclass
class Article:
    """An article to tag: its id, its title (optional) and its body text (one paragraph per line)."""

    id: str
    title: str | None
    text: str


@dataclass
class TaggedArticle:
    id: str
    title: Prediction | None
    paragraphs: list[list[Prediction]]

    def predictions(self) -> list[Prediction]:
        """The title's prediction (if any), then every sentence's, in reading order."""
        return ([self.title] if self.title else []) + [p for paragraph in self.paragraphs for p in paragraph]


def read_articles(path: str | Path, title: str | None = None) -> list[Article]:
    """A .txt file is one article (id: the file name); a .jsonl file holds one {"id", "title", "text"} per line."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    if path.suffix != ".jsonl":
        return [Article(path.stem, title, path.read_text(encoding="utf-8"))]
    if title is not None:
        raise ValueError(f"--title is for a .txt article; the articles of {path} carry their own titles")
    articles, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not valid JSON ({error.msg})") from None
        articles.append(_article(item, f"{path}:{number}", seen))
    if not articles:
        raise ValueError(f"{path} holds no articles")
    return articles


def _article(item, where: str, seen: set[str]) -> Article:
    if not isinstance(item, dict):
        raise ValueError(f"{where}: expected a JSON object {{\"id\", \"title\", \"text\"}}")
    for key in ("id", "text"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ValueError(f"{where}: '{key}' must be a non-empty string")
    if item.get("title") is not None and not isinstance(item["title"], str):
        raise ValueError(f"{where}: 'title' must be a string or absent")
    if item["id"] in seen:
        raise ValueError(f"{where}: id {item['id']!r} appears twice")
    seen.add(item["id"])
    return Article(item["id"], (item.get("title") or "").strip() or None, item["text"])


def tag_articles(tagger, articles: Iterable[Article], batch_size: int | None = None) -> Iterator[TaggedArticle]:
    """Tag each article's title and sentences, keeping its paragraphs (lines) for the page."""
    for article in articles:
        paragraphs = [split_sentences(line) for line in article.text.splitlines()]
        paragraphs = [p for p in paragraphs if p]
        body = [s for p in paragraphs for s in p]
        sentences = ([article.title] if article.title else []) + body
        contexts = article_positions(bool(article.title), len(body)) if tagger.settings.context else None
        predictions = iter(tagger.predict(sentences, contexts=contexts, batch_size=batch_size) if sentences else [])
        title = next(predictions) if article.title else None
        yield TaggedArticle(article.id, title, [[next(predictions) for _ in p] for p in paragraphs])


def render_page(articles: list[TaggedArticle], model_name: str) -> str:
    """The whole page: header, legend with counts, the flagged sentences, then each article."""
    counts = Counter(p.label for a in articles for p in a.predictions())
    total = sum(counts.values())
    flagged = [(f"a{i}-s{j}", p) for i, a in enumerate(articles) for j, p in enumerate(a.predictions())
               if p.label in FLAGGED]
    header = (
        f"<header><h1>أدوار الجمل <span lang=\"en\" dir=\"ltr\">Sentence roles</span></h1>"
        f"<p class=\"meta\" lang=\"en\" dir=\"ltr\">{len(articles)} article(s), {total} sentence(s); "
        f"model: {escape(model_name)}</p>{_legend(counts)}{_flagged_list(flagged)}</header>"
    )
    body = "".join(_article_html(i, article) for i, article in enumerate(articles))
    page_title = escape(articles[0].title.text if len(articles) == 1 and articles[0].title else "Sentence roles")
    return (f"<!doctype html>\n<html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{page_title}</title><style>{STYLE}</style></head>"
            f"<body>{header}<main>{body}</main></body></html>\n")


def _legend(counts: Counter) -> str:
    items = "".join(f"<li><span class=\"s {label}\">{LABEL_NAMES[label]} · <span lang=\"en\">{label}</span></span> "
                    f"<b class=\"count\" data-label=\"{label}\">{counts[label]}</b></li>" for label in LABELS)
    return f"<ul class=\"legend\">{items}</ul>"


def _flagged_list(flagged: list[tuple[str, Prediction]]) -> str:
    if not flagged:
        return "<nav class=\"flagged\"><h2>لا نفي ولا ادعاء <span lang=\"en\">(no denials or allegations)</span></h2></nav>"
    items = "".join(
        f"<li><a href=\"#{anchor}\"><span class=\"tag {p.label}\">{LABEL_NAMES[p.label]}</span> "
        f"{escape(_excerpt(p.text))}</a> <small dir=\"ltr\">{p.score:.2f}</small></li>" for anchor, p in flagged
    )
    return (f"<nav class=\"flagged\"><h2>النفي والادعاءات <span lang=\"en\">(denials and allegations)</span></h2>"
            f"<ol>{items}</ol></nav>")


def _excerpt(text: str) -> str:
    words = text.split()
    return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")


def _article_html(index: int, article: TaggedArticle) -> str:
    counts = Counter(p.label for p in article.predictions())
    numbers = iter(range(len(article.predictions())))
    title = (_sentence(f"a{index}-s{next(numbers)}", article.title) if article.title
             else f"<bdi class=\"untitled\">{escape(article.id)}</bdi>")
    paragraphs = "".join("<p>" + " ".join(_sentence(f"a{index}-s{next(numbers)}", p) for p in para) + "</p>"
                         for para in article.paragraphs)
    summary = " · ".join(f"{LABEL_NAMES[label]} {counts[label]}" for label in LABELS)
    return (f"<article id=\"a{index}\" data-id=\"{escape(article.id)}\"><h2>{title}</h2>"
            f"<p class=\"counts\">{summary}</p>{paragraphs}</article>")


def _sentence(anchor: str, p: Prediction) -> str:
    hover = " · ".join(f"{label} {p.probabilities[label]:.2f}" for label in LABELS)
    return (f"<span class=\"s {p.label}\" id=\"{anchor}\" data-label=\"{p.label}\" "
            f"title=\"{escape(hover)}\">{escape(p.text)}</span>")


STYLE = """
body { font-family: "Noto Naskh Arabic", "Amiri", "Noto Sans Arabic", "Geeza Pro", "Traditional Arabic",
       "Segoe UI", Tahoma, "DejaVu Sans", sans-serif; line-height: 1.9; max-width: 52rem; margin: 1.5rem auto;
       padding: 0 1rem; color: #1d1d1d; background: #fff; }
h1 { font-size: 1.5rem; margin: 0; } h2 { font-size: 1.2rem; }
.meta, .counts { color: #555; font-size: .9rem; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; }
.s { border-radius: 3px; padding: .1rem .15rem; box-decoration-break: clone; -webkit-box-decoration-break: clone; }
.report { background: #dcebfa; }
.denial { background: #f9c6c0; border-bottom: 2px solid #b3261e; }
.allegation { background: #fde3a1; border-bottom: 2px dashed #8a5a00; }
.background { background: #ececec; color: #444; }
.tag { font-size: .8rem; padding: 0 .3rem; border-radius: 3px; }
.flagged ol { padding-inline-start: 1.5rem; } .flagged a { color: inherit; text-decoration: none; }
.flagged a:hover { text-decoration: underline; }
article { border-top: 1px solid #ccc; margin-top: 1.5rem; }
.s:target { outline: 3px solid #1a73e8; }
"""
