"""What every entry point of the package shares: one rule for exit codes, and the checks of counts.

Exit codes: 0 done; 2 bad usage or invalid input (arguments, config, data, model folder),
reported in one line that says what and where; 1 a failure while running.
"""

import argparse

INPUT_ERRORS = (FileNotFoundError, FileExistsError, ValueError, ImportError)
"""What bad usage or invalid input raises: reported in one line, exit code 2."""
INVALID_INPUT = 2


def check_count(name: str, value) -> None:
    """Refuse a count (threads, batch size, chunk size) that is not a whole number of at least 1."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
