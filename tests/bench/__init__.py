"""The benchmark behind `make bench`; run it as ``python -m tests.bench``."""
