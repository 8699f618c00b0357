"""What every command line of the package shares: one rule for exit codes, and argument types.

Exit codes: 0 done; 2 bad usage or invalid input (arguments, config, data, model folder),
reported in one line that says what and where; 1 a failure while running.
"""

import argparse

INPUT_ERRORS = (FileNotFoundError, FileExistsError, ValueError, ImportError)
"""What bad usage or invalid input raises: reported in one line, exit code 2."""
INVALID_INPUT = 2


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value
