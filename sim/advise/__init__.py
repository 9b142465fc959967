"""Advice for planners: margins, optimisation, and robustness to what we don't know."""
