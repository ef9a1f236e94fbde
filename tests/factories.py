"""Data builders for tests: `make_<thing>(**overrides)`. Each helper adds its own builders here."""
