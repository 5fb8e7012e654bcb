"""Benchmarks of livesnap (`make bench`): plan at scale, apply at the vendor rate limit, start-up.

Not part of the test run: wall-clock numbers belong here, never in `tests/`. `bench.run` runs
everything and prints the table; each benchmark writes `bench/results/<name>.json`.
"""
