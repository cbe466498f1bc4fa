"""Benchmarks of the editor against what its dependencies need for the same work."""
