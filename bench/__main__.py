"""Run benchmark areas and print one JSON object per figure (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import bench

Figure = dict[str, Any]


def areas() -> list[str]:
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(bench.__file__).parent)])
        if not m.name.startswith("_") and m.name not in {"common"}
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("areas", nargs="*", help=f"areas to run (default all): {areas()}")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for smoke tests")
    parser.add_argument(
        "--national",
        action="store_true",
        help="central: also seed a national-shape database and compare per-request cost",
    )
    args = parser.parse_args(argv)
    chosen = args.areas or areas()
    unknown = sorted(set(chosen) - set(areas()))
    if unknown:
        parser.error(f"unknown area(s) {unknown}; known: {areas()}")
    for area in chosen:
        module = importlib.import_module(f"bench.{area}")
        figures: Iterable[Figure] = module.run(args)
        for raw in figures:
            figure = {"area": area, **raw}
            if args.json:
                print(json.dumps(figure), flush=True)
            else:
                ratio = f"  (ratio {figure['ratio']:.2f})" if "ratio" in figure else ""
                value = f"{figure['value']:>12.3f} {figure['unit']}"
                print(f"{area:8} {figure['name']:45} {value}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
