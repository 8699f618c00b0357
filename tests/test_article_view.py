"""The article page: what it holds, how bad input is refused, and how it renders in a real browser."""

import json
import os
import re
import shutil
import subprocess

import pytest

from model.__main__ import main
from model.article_view import Article, read_articles, render_page, tag_articles
from model.cue_tagger import CueTagger

ARTICLE = (
    "نفت الوزارة ما تداولته وسائل الإعلام عن إغلاق المعبر.\n"
    "وزعمت الصحيفة أن الاتفاق وقع سرا. وأعلنت الشركة أرباحها يوم الأحد.\n"
    "يذكر أن المعبر <b>افتتح</b> عام 1990 & \"أعيد\" بناؤه.\n"
)


@pytest.fixture
def cue_model(tmp_path):
    CueTagger().save_pretrained(tmp_path / "cues")
    return str(tmp_path / "cues")


@pytest.fixture
def page_file(cue_model, tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "page.html"
    assert main(["tag", "--model", cue_model, str(article), "--title", "الوزارة تنفي إغلاق المعبر", "--html", str(out)]) == 0
    return out


def test_the_page_marks_each_sentence_and_lists_denials_and_allegations_at_the_top(page_file):
    page = page_file.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    labels = re.findall(r'class="s (\w+)" id="(a0-s\d+)"', page)
    assert [label for label, _ in labels] == ["denial", "denial", "allegation", "report", "background"]  # title first
    flagged_links = re.findall(r'<a href="#(a0-s\d+)">', page)
    assert flagged_links == ["a0-s0", "a0-s1", "a0-s2"]
    assert all(anchor in dict((a, l) for l, a in labels) for anchor in flagged_links)
    assert 'title="report 0.10 · denial 0.70 · allegation 0.10 · background 0.10"' in page   # probabilities on hover
    assert '<b class="count" data-label="denial">2</b>' in page


def test_article_text_is_escaped(page_file):
    page = page_file.read_text(encoding="utf-8")
    assert "<b>افتتح</b>" not in page and "&lt;b&gt;افتتح&lt;/b&gt; عام 1990 &amp; &quot;أعيد&quot;" in page


def test_a_jsonl_of_articles_gives_one_page_and_bad_lines_are_named(cue_model, tmp_path):
    good = tmp_path / "articles.jsonl"
    good.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in [
        {"id": "one", "title": "عنوان", "text": "نفى المتحدث الخبر."},
        {"id": "two", "text": "وأعلنت الشركة أرباحها."},
    ]) + "\n", encoding="utf-8")
    articles = read_articles(good)
    assert [(a.id, a.title) for a in articles] == [("one", "عنوان"), ("two", None)]
    page = render_page(list(tag_articles(CueTagger(), articles)), "cues")
    assert page.count("<article ") == 2 and 'data-id="two"' in page

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "one", "text": "نص."}\n{"id": "one", "text": "نص آخر."}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: id 'one' appears twice"):
        read_articles(bad)
    bad.write_text('{"id": "x", "text": ""}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:1: 'text' must be a non-empty string"):
        read_articles(bad)
    bad.write_text('{"id": "x", "text": "نص."}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.jsonl:2: not valid JSON"):
        read_articles(bad)


def test_an_existing_page_is_kept_unless_overwrite(cue_model, page_file, tmp_path, capsys):
    before = page_file.read_bytes()
    article = tmp_path / "article.txt"
    assert main(["tag", "--model", cue_model, str(article), "--html", str(page_file)]) == 2
    assert "already exists" in capsys.readouterr().err and page_file.read_bytes() == before


def test_an_article_with_no_sentences_still_renders():
    page = render_page(list(tag_articles(CueTagger(), [Article("empty", None, "\n\n")])), "cues")
    assert "no denials or allegations" in page and 'data-id="empty"' in page


# In a real browser: Debian's chromium (.ci/run installs it). Under CI a missing browser fails.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1000,1200"]
PROBE = """<script>
const spans = [...document.querySelectorAll("span.s[id]")];
const colour = label => getComputedStyle(document.querySelector("span.s." + label)).backgroundColor;
document.body.insertAdjacentHTML("beforeend", "<pre id=probe>" + JSON.stringify({
  direction: getComputedStyle(document.body).direction,
  labels: spans.map(s => s.dataset.label),
  colours: {denial: colour("denial"), allegation: colour("allegation"), report: colour("report")},
  links_resolve: [...document.querySelectorAll("nav a")].every(a => document.getElementById(a.hash.slice(1))),
}) + "</pre>");
</script>"""


def chromium(tmp_path, *args: str) -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); CI installs it")
    command = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def test_the_page_renders_right_to_left_with_its_colours_in_headless_chromium(page_file, tmp_path):
    probe = tmp_path / "probe.html"
    probe.write_text(page_file.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    dom = chromium(tmp_path, "--dump-dom", probe.as_uri())
    seen = json.loads(re.search(r"<pre id=\"probe\">(.*?)</pre>", dom, re.S).group(1).replace("&quot;", '"'))
    assert seen["direction"] == "rtl"
    assert seen["labels"] == ["denial", "denial", "allegation", "report", "background"]
    assert len(set(seen["colours"].values())) == 3 and seen["links_resolve"]

    from PIL import Image

    shot = tmp_path / "page.png"
    chromium(tmp_path, f"--screenshot={shot}", page_file.as_uri())
    pixels = Image.open(shot).convert("RGB")
    denial_background = (0xF9, 0xC6, 0xC0)
    assert pixels.size == (1000, 1200) and denial_background in {colour for _, colour in pixels.getcolors(1 << 20)}


def test_a_folder_is_not_taken_for_the_page_even_with_overwrite(cue_model, page_file, tmp_path, capsys):
    folder = tmp_path / "pages"
    (folder / "kept.txt").parent.mkdir()
    (folder / "kept.txt").write_text("x", encoding="utf-8")
    assert main(["tag", "--model", cue_model, str(tmp_path / "article.txt"), "--html", str(folder), "--overwrite"]) == 2
    assert "is a folder" in capsys.readouterr().err and (folder / "kept.txt").read_text() == "x"
