"""Evaluation: (model, labelled data) -> a report; reports -> comparisons."""
