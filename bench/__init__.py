"""Benchmarks of the sync path (issue 9) against the naive poll-and-reset baseline.

Run `python -m bench [--quick] [--output DIR]`.
"""
