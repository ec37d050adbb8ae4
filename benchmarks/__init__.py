"""Load benchmarks: our pages against a bare Django view, in the same run (see README.md)."""
