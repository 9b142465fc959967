"""The terminal table of a joint fit or check, in English or Chinese: fit and held-out error per pattern."""

from __future__ import annotations

import math

from sim.calibration.joint import JointEvaluation, JointFit, key_name
from sim.calibration.joint_spec import JointSpec, Role
from sim.calibration.joint_writing import counts
from sim.kpi_table import _width

WORDS: dict[str, tuple[str, str]] = {
    "pattern": ("pattern", "模式"),
    "place": ("place", "地点"),
    "observed": ("observed", "观测值"),
    "simulated": ("simulated", "模拟值"),
    "fit_error": ("fit error", "拟合误差"),
    "held_error": ("held-out error", "留出误差"),
    "tolerance": ("tolerance", "容差"),
    "ok": ("ok", "达标"),
    "outside": ("OUTSIDE", "超出"),
    "identity": ("identity", "恒等"),
    "check": ("check of the fitted files", "检验已拟合文件"),
    "fit": ("joint fit", "联合拟合"),
    "counts": (("{patterns_fitted} fitted patterns ({identities} identities) and {patterns_held_out} held out; "
                "{free} free parameters ({parameters_shared} shared, {parameters_place_specific} place-specific)"),
               ("拟合模式 {patterns_fitted} 个（其中恒等 {identities} 个），留出验证模式 {patterns_held_out} 个；"
                "自由参数 {free} 个（共享 {parameters_shared} 个，地点特有 {parameters_place_specific} 个）")),
    "rms": ("RMS relative error: fitted {fit:.1%} (without identities {fit_free:.1%}), held out {held:.1%}",
            "相对误差均方根：拟合 {fit:.1%}（不计恒等 {fit_free:.1%}），留出 {held:.1%}"),
    "parameters": ("parameters (start -> fitted)", "参数（初值 -> 拟合值）"),
    "all_ok": ("every fitted and held-out pattern within tolerance", "所有拟合与留出模式均在容差内"),
    "some_out": ("some patterns OUTSIDE tolerance", "部分模式超出容差"),
}


def word(key: str, lang: str) -> str:
    """A table word in English or Chinese."""
    return WORDS[key][0 if lang == "en" else 1]


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _rms(values: list[float]) -> float:
    return math.sqrt(sum(v * v for v in values) / len(values)) if values else 0.0


def format_joint(spec: JointSpec, evaluation: JointEvaluation, fit: JointFit | None, seeds: int,
                 days: int | None, lang: str = "en") -> str:
    """One row per pattern (fit error or held-out error), the counts, the RMS errors, the parameters."""
    mode = word("check", lang) if fit is None else f"{word('fit', lang)} ({fit.place_runs} place runs: {fit.message})"
    lines = [f"{spec.name}: {mode}, {seeds} seed(s) per place, {'scenario days' if days is None else f'{days} days'}"]
    labels = {n: (p.label_zh if lang == "zh" and p.label_zh else p.label or n) for n, p in spec.patterns.items()}
    wide = max(_width(f"{labels[n]} [{p.where_label}]") for n, p in spec.patterns.items()) + 2
    lines.append(f"  {_pad(word('pattern', lang), wide)}{word('observed', lang):>12}{word('simulated', lang):>12}"
                 f"{word('fit_error', lang):>12}{word('held_error', lang):>16}{word('tolerance', lang):>10}")
    for name, p in spec.patterns.items():
        error = f"{evaluation.relative_error[name]:+.1%}"
        fit_col, held_col = (error, "") if p.role is Role.FIT else ("", error)
        mark = word("ok", lang) if evaluation.within[name] else word("outside", lang)
        note = f" ({word('identity', lang)})" if p.identity else ""
        lines.append(f"  {_pad(f'{labels[name]} [{p.where_label}]', wide)}{p.observed:>12.5g}{evaluation.simulated[name]:>12.5g}"
                     f"{fit_col:>12}{held_col:>16}{p.tolerance:>9.0%}  {mark}{note}")
    c = counts(spec)
    lines.append("  " + word("counts", lang).format(free=c["parameters_shared"] + c["parameters_place_specific"], **c))
    fitted = [evaluation.relative_error[n] for n in spec.fitted]
    free = [evaluation.relative_error[n] for n, p in spec.fitted.items() if not p.identity]
    lines.append("  " + word("rms", lang).format(fit=_rms(fitted), fit_free=_rms(free),
                                                 held=_rms([evaluation.relative_error[n] for n in spec.held_out])))
    if fit is not None:
        lines.append(f"  {word('parameters', lang)}:")
        lines += [f"    {key_name(k)} = {fit.start.values[k]:.6g} -> {v:.6g}" for k, v in fit.best.values.items()]
    ok = all(evaluation.within.values())
    lines.append(f"  {word('all_ok' if ok else 'some_out', lang)} (cost {evaluation.cost:.3g})")
    return "\n".join(lines)
