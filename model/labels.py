"""The label set of the product, defined once (see data/LABELS.md, the binding spec)."""

LABELS: tuple[str, ...] = ("report", "denial", "allegation", "background")
"""The four sentence roles, in the fixed order used for class ids."""

PRECEDENCE: tuple[str, ...] = ("denial", "allegation", "report", "background")
"""The spec's decision order: a sentence takes the first label that applies."""

LABEL2ID: dict[str, int] = {label: i for i, label in enumerate(LABELS)}
ID2LABEL: dict[int, str] = dict(enumerate(LABELS))


def check_label(label: object) -> str:
    """Return `label` if it is one of LABELS, else raise ValueError naming the allowed set."""
    if label not in LABEL2ID:
        raise ValueError(f"unknown label {label!r}; expected one of {', '.join(LABELS)}")
    return label  # type: ignore[return-value]
