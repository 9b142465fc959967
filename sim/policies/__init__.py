"""Funding and linkage levers, one module per family; each runs as a phase of ``Model.step``."""
