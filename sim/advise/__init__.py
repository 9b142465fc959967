"""Advice for a planner: marginal value of the next yuan, the best split under noise, robustness."""
