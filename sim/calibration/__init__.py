"""Calibration: fit free scenario parameters to observed patterns (``scenarios/targets/*.toml``).

Data flows one way: a targets file (``targets``) names KPIs with observed values and the free
parameters with bounds; ``objective`` runs the model over fixed seeds (common random numbers) and
turns KPIs into relative errors; ``fitting`` searches the bounded parameter box with
``scipy.optimize.least_squares``; ``writing`` saves the fitted values as a scenario that
``extends`` the original.
"""

from sim.calibration.fitting import FitResult, fit
from sim.calibration.objective import Evaluation, Objective
from sim.calibration.targets import Parameter, Target, TargetsFile, load_targets
from sim.calibration.writing import fitted_toml, write_fitted

__all__ = [
    "Evaluation", "FitResult", "Objective", "Parameter", "Target", "TargetsFile",
    "fit", "fitted_toml", "load_targets", "write_fitted",
]
