"""Advice for a planner: the marginal value of the next yuan, the best split under noise, and robustness to what we do not know."""
