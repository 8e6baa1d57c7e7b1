"""Benchmarks that print side-by-side tables: ours against the naive way, in one run."""
