"""Run every benchmark of the project and print its figures.

    python bench/run.py            # full runs, a table
    python bench/run.py --quick    # every benchmark briefly (under a minute in all)
    python bench/run.py --json     # one JSON object of named figures
    python bench/run.py recorder   # only benchmarks whose module name contains a word

Each ``bench/bench_*.py`` module provides ``TITLE`` and ``run(quick: bool) -> dict``
mapping figure names to numbers or strings. Timings are reported as ratios against
a baseline measured side by side in the same run, because the machines are shared
and noisy; figures quoted are medians.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(words: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    return [p for p in found if not words or any(w in p.stem for w in words)]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(HERE))
    spec.loader.exec_module(module)
    return module


def format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="run every benchmark briefly")
    parser.add_argument("--json", action="store_true", help="print one JSON object of figures")
    parser.add_argument("only", nargs="*", help="run only benchmarks whose name contains one of these")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {}
    for path in discover(args.only):
        module = load(path)
        started = time.monotonic()
        results = module.run(quick=args.quick)
        name = path.stem.removeprefix("bench_")
        for key, value in results.items():
            figures[f"{name}.{key}"] = value
        if not args.json:
            print(f"\n{module.TITLE}  ({time.monotonic() - started:.1f} s)")
            width = max((len(k) for k in results), default=0)
            for key, value in results.items():
                print(f"  {key:<{width}}  {format_value(value)}")
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
