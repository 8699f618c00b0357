"""Training: a validated config and labelled data files -> a run directory with the best tagger."""
