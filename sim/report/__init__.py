"""The planner's comparison report, built from a result store (never by re-running the model)."""

from sim.report.build import build_report

__all__ = ["build_report"]
