"""The golden baseline: exact KPIs and series digests of a few fixed runs (``make baseline`` rewrites it)."""
