"""Benchmarks: each prints a ratio against a baseline measured in the same run.

Run all: ``python -m bench``; one: ``python -m bench reports``. Machines are noisy, so every
goal is a ratio to a baseline timed moments apart on the same machine, never an absolute time.
"""
