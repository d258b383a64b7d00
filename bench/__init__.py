"""Scale and speed (issue 9): a data generator (`generate`) and benchmarks against the
floor (`run`). Run from the repository root: `make bench-data SCALE=...`, `make bench`."""
