"""The benchmark suite: `python -m bench [AREA ...] [--json]`.

Each area is a module `bench/<area>.py` with `run(args) -> Iterable[Figure]`. Every
figure is one JSON object per line with `name`, `value`, `unit`, and `baseline` /
`ratio` where a baseline was measured in the same run, so results compare across
machines. Speed targets live here, never in timed tests.
"""
