"""Calibration: fit free scenario parameters to observed patterns (``scenarios/targets/``).

Data flows one way. The joint fit (``joint_spec``, ``joint``, ``joint_writing``, ``joint_report``)
reads ``scenarios/targets/joint.toml`` (places, shared and place-specific parameters, fitted and
held-out patterns), runs every place over fixed seeds (common random numbers), fits the shared
behavioural constants and the place-specific values with ``scipy.optimize.least_squares`` on the
fitted patterns only, and writes each place's fitted scenario and a shared-constants record. The
one-place fit (``targets``, ``objective``, ``fitting``, ``writing``) does the same for one
scenario and its own targets file.
"""

from sim.calibration.fitting import FitResult, fit
from sim.calibration.joint import JointEvaluation, JointFit, JointObjective, fit_joint, load_places
from sim.calibration.joint_spec import JointSpec, Pattern, Role, load_joint
from sim.calibration.objective import Evaluation, Objective
from sim.calibration.targets import Parameter, Target, TargetsFile, load_targets
from sim.calibration.writing import fitted_toml, write_fitted

__all__ = [
    "Evaluation", "FitResult", "JointEvaluation", "JointFit", "JointObjective", "JointSpec", "Objective",
    "Parameter", "Pattern", "Role", "Target", "TargetsFile", "fit", "fit_joint", "fitted_toml", "load_joint",
    "load_places", "load_targets", "write_fitted",
]
