"""Breakdowns of one model's predictions: confusions, newspapers, cue words, whole articles."""

from collections import Counter, defaultdict

from model.cues import has_claim_cue

from eval.metrics import classification_metrics


def top_confusions(rows: list[dict], n: int = 6, examples: int = 3) -> list[dict]:
    """The most frequent (gold, predicted) errors, each with a few example sentences."""
    errors = Counter((r["gold"], r["label"]) for r in rows if r["gold"] != r["label"])
    result = []
    for (gold, predicted), count in errors.most_common(n):
        texts = [r["text"] for r in rows if r["gold"] == gold and r["label"] == predicted][:examples]
        result.append({"gold": gold, "predicted": predicted, "count": count, "examples": texts})
    return result


def breakdown(rows: list[dict], key) -> dict[str, dict]:
    """accuracy, macro-F1 and size of each group of rows, groups named by key(row)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return {
        name: _summary(group)
        for name, group in sorted(groups.items(), key=lambda item: -len(item[1]))
    }


def by_source(rows: list[dict]) -> dict[str, dict]:
    """Scores per newspaper."""
    return breakdown(rows, lambda r: r.get("source", "?"))


def by_cue(rows: list[dict]) -> dict[str, dict]:
    """Scores on sentences with and without a denial/allegation cue word: more than keyword matching?"""
    return breakdown(rows, lambda r: "with cue word" if has_claim_cue(r["text"]) else "without cue word")


def article_level(rows: list[dict]) -> dict:
    """Per-article accuracy, and in how many articles every denial (and allegation) was found."""
    articles: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        articles[row["doc_id"]].append(row)
    per_article = []
    for doc_id, sentences in sorted(articles.items()):
        correct = sum(r["gold"] == r["label"] for r in sentences)
        per_article.append({
            "doc_id": doc_id,
            "sentences": len(sentences),
            "accuracy": correct / len(sentences),
            "denials": sum(r["gold"] == "denial" for r in sentences),
            "denials_found": sum(r["gold"] == "denial" == r["label"] for r in sentences),
            "allegations": sum(r["gold"] == "allegation" for r in sentences),
            "allegations_found": sum(r["gold"] == "allegation" == r["label"] for r in sentences),
        })
    with_denial = [a for a in per_article if a["denials"]]
    with_allegation = [a for a in per_article if a["allegations"]]
    return {
        "articles": len(per_article),
        "mean_article_accuracy": sum(a["accuracy"] for a in per_article) / len(per_article),
        "articles_all_correct": sum(a["accuracy"] == 1 for a in per_article),
        "articles_with_denial": len(with_denial),
        "articles_every_denial_found": sum(a["denials_found"] == a["denials"] for a in with_denial),
        "articles_with_allegation": len(with_allegation),
        "articles_every_allegation_found": sum(a["allegations_found"] == a["allegations"] for a in with_allegation),
        "per_article": per_article,
    }


def _summary(rows: list[dict]) -> dict:
    """Size, accuracy and macro-F1 over the labels the group's gold data holds (the same set for every model)."""
    metrics = classification_metrics([r["gold"] for r in rows], [r["label"] for r in rows])
    return {
        "n": len(rows),
        "accuracy": metrics["accuracy"],
        "macro_f1": metrics["macro_f1"],
        "labels": dict(Counter(r["gold"] for r in rows)),
    }
