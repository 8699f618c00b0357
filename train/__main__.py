"""python -m train --config configs/NAME.yaml [--output-dir DIR] [key.sub=value ...]"""

import argparse
import sys

from model.cli import INPUT_ERRORS, INVALID_INPUT
from model.data import DataError
from train.config import ConfigError, load_config
from train.run import TrainingInterrupted, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m train", description="Fine-tune a sentence-role tagger.")
    parser.add_argument("--config", required=True, help="a YAML run config, e.g. configs/tiny.yaml")
    parser.add_argument("--output-dir", help="the run directory (default runs/NAME)")
    parser.add_argument("overrides", nargs="*", help="dotted overrides, e.g. training.num_train_epochs=3")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    overrides = list(args.overrides) + ([f"output_dir={args.output_dir}"] if args.output_dir else [])
    try:
        config = load_config(args.config, overrides)
        run_dir = run(config)
    except (ConfigError, DataError, *INPUT_ERRORS) as error:
        print(f"error: {error}", file=sys.stderr)
        return INVALID_INPUT
    except TrainingInterrupted as error:
        print(str(error), file=sys.stderr)
        return 130
    print(f"run complete: {run_dir}")
    print(f"  model:   {run_dir / 'model'}")
    print(f"  reports: {run_dir / 'reports'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
