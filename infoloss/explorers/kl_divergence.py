"""Explorers for the KL divergence (chapter 4, {doc}`04_kl_divergence`): its asymmetry on two
coins, forward and reverse fits of a Gaussian to a two-mode mixture, and distillation's
temperature."""
from __future__ import annotations

import functools

import numpy as np
import scipy.special
import scipy.stats

from infoloss.explorers.core import Explorer, Slider, register
from infoloss.gaussians import fit_gaussian
from infoloss.losses import distillation_loss, distillation_loss_grad
from infoloss.measures import entropy, kl_divergence
from infoloss.plotting import COLORS, decorate
from infoloss.softmax import softmax

# --- two coins: asymmetry and H(p, q) = H(p) + KL(p || q) ----------------------------------------
COIN_GRID = np.linspace(0.005, 0.995, 199)
COIN_KL_MAX = 4.0   # bits shown on the divergence axis; larger values leave it at the top


def _coin(p):
    """Bernoulli(p) as the distribution (P(heads), P(tails)), along the last axis."""
    p = np.asarray(p, float)
    return np.stack([p, 1 - p], axis=-1)


def kl_coins_data(p: float, q: float) -> dict:
    """KL(p || q), KL(q || p) and the entropies of two coins, in bits, and both divergences as
    functions of the second coin's P(heads) for the first coin fixed at ``p``."""
    P, Q, grid = _coin(p), _coin(q), _coin(COIN_GRID)
    return {"p": p, "q": q, "H_p": float(entropy(P, base=2)), "H_q": float(entropy(Q, base=2)),
            "kl_pq": float(kl_divergence(P, Q, base=2)), "kl_qp": float(kl_divergence(Q, P, base=2)),
            "forward_curve": kl_divergence(P, grid, base=2),    # KL(p || r) over r
            "reverse_curve": kl_divergence(grid, P, base=2)}    # KL(r || p) over r


def draw_kl_coins(fig, data):
    """Left: KL(p || r) and KL(r || p) against r, dots at r = q. Right: the two coding costs
    H(p) + KL(p || q) = H(p, q) and H(q) + KL(q || p) = H(q, p) as stacked bars."""
    left, right = fig.subplots(1, 2, width_ratios=[1.4, 1])
    (fwd,) = left.plot([], [], color=COLORS["p"], label="KL(p ‖ r)")
    (rev,) = left.plot([], [], color=COLORS["q"], label="KL(r ‖ p)")
    (fwd_dot,) = left.plot([], [], "o", color=COLORS["p"])
    (rev_dot,) = left.plot([], [], "o", color=COLORS["q"])
    marker = left.axvline(data["q"], color=COLORS["neutral"], lw=0.8, ls=":")
    decorate(left, xlabel="r = P(heads) of the second coin", ylabel="bits", xlim=(0, 1),
             ylim=(0, COIN_KL_MAX), legend=False)
    left.legend(loc="upper center", fontsize="small")
    readout = left.set_title(" ", fontsize="small")

    names = ["code p with q's code", "code q with p's code"]
    base = right.bar(names, [0, 0], color=COLORS["entropy"], label="entropy of the data")
    extra = right.bar(names, [0, 0], color=COLORS["grad"], label="KL: the extra cost")
    totals = [right.text(i, 0, "", ha="center", va="bottom", fontsize="small") for i in range(2)]
    decorate(right, ylabel="bits per toss", ylim=(0, 5.0), legend=False)
    right.legend(loc="upper right", fontsize="small")
    right.tick_params(axis="x", labelsize="small")

    def update(data):
        fwd.set_data(COIN_GRID, np.minimum(data["forward_curve"], COIN_KL_MAX * 1.05))
        rev.set_data(COIN_GRID, np.minimum(data["reverse_curve"], COIN_KL_MAX * 1.05))
        fwd_dot.set_data([data["q"]], [min(data["kl_pq"], COIN_KL_MAX * 1.05)])
        rev_dot.set_data([data["q"]], [min(data["kl_qp"], COIN_KL_MAX * 1.05)])
        marker.set_xdata([data["q"], data["q"]])
        readout.set_text(f"p = {data['p']:.2f}:  KL(p ‖ q) = {data['kl_pq']:.3f},  "
                         f"KL(q ‖ p) = {data['kl_qp']:.3f} bits")
        for i, (h, kl) in enumerate(((data["H_p"], data["kl_pq"]), (data["H_q"], data["kl_qp"]))):
            base[i].set_height(h)
            extra[i].set_y(h)
            extra[i].set_height(kl)
            totals[i].set_y(h + kl + 0.05)
            totals[i].set_text(f"H = {h:.2f}\n+ KL = {kl:.2f}\n= {h + kl:.2f}")
        return [fwd, rev, fwd_dot, rev_dot, marker, readout, *base, *extra, *totals]

    update(data)
    return update


@register
def kl_coins_explorer() -> Explorer:
    """Two coins with P(heads) = p and q: the divergences KL(p ‖ q) and KL(q ‖ p) in bits (left,
    as the second coin r moves), and the cost of coding each coin with the other's code (right),
    the entropy plus the KL divergence.

    Try: with p = 0.25, move q: the two curves touch at r = p, where both are 0, and cross at
    r = 1 − p, where the two divergences swap order; KL(p ‖ r) shoots up as r → 0 or 1 (the code
    for r makes one face nearly impossible while p still throws it), KL(r ‖ p) stays bounded.
    Set p = 0.5, q = 0.25 for Cover and Thomas's example (0.208 and 0.189 bits). Near r = p the
    two curves look like one parabola; far from it they part.
    """
    return Explorer(kl_coins_data, draw_kl_coins,
                    {"p": Slider("p", 0.05, 0.95, 0.25, steps=19),
                     "q": Slider("q", 0.05, 0.95, 0.65, steps=19)},
                    figsize=(9.0, 3.6))


# --- forward and reverse fits to a two-mode mixture ---------------------------------------------
MIX_X = np.linspace(-12.0, 12.0, 481)
MIX_VIEW = (-8.0, 8.0)
PROFILE_MUS = np.linspace(-6.0, 6.0, 61)
PROFILE_LOG_SIGMAS = np.linspace(np.log(0.3), np.log(6.0), 60)
PROFILE_MAX = 2.0    # nats shown on the profile axis
#: q's standardized variable u = (x - mu) / sigma, and trapezoid weights for E over N(0, 1).
_U = np.linspace(-10.0, 10.0, 401)
_U_WEIGHTS = scipy.stats.norm.pdf(_U) * (_U[1] - _U[0])


def mixture_density(x, mu0: float):
    """½ N(-mu0, 1) + ½ N(mu0, 1) at ``x``."""
    return 0.5 * (scipy.stats.norm.pdf(x, -mu0, 1.0) + scipy.stats.norm.pdf(x, mu0, 1.0))


def _log_mixture(x, mu0: float):
    return (np.logaddexp(-0.5 * (x - mu0) ** 2, -0.5 * (x + mu0) ** 2)
            - np.log(2) - 0.5 * np.log(2 * np.pi))


def reverse_kl_profile(mu0: float, mus=PROFILE_MUS):
    """min over sigma of KL(N(mu, sigma²) ‖ mixture) for each ``mu``, in nats: the continuous
    objective, E_q by the trapezoid rule in q's standardized variable, minimized over a grid of
    log sigma from 0.3 to 6."""
    sigmas = np.exp(PROFILE_LOG_SIGMAS)
    x = np.asarray(mus, float)[:, None, None] + sigmas[None, :, None] * _U
    cross = -(_log_mixture(x, mu0) @ _U_WEIGHTS)               # -E_q[log p]
    kl = cross - 0.5 * np.log(2 * np.pi * np.e * sigmas**2)   # minus the entropy of q
    return kl.min(axis=1)


def forward_kl_profile(mu0: float, mus=PROFILE_MUS):
    """min over sigma of KL(mixture ‖ N(mu, sigma²)) for each ``mu``, in nats: sigma² is the
    mean squared distance to mu, 1 + mu0² + mu², and the minimum is ½ log(2πe σ²) - H(p)."""
    h_p = -np.sum(scipy.special.xlogy(mixture_density(MIX_X, mu0), mixture_density(MIX_X, mu0)))
    h_p *= MIX_X[1] - MIX_X[0]
    return 0.5 * np.log(2 * np.pi * np.e * (1 + mu0**2 + np.asarray(mus) ** 2)) - h_p


def _kl_on_grid(a, b) -> float:
    """KL(a ‖ b) of two densities on MIX_X, by a Riemann sum (nats)."""
    return float(scipy.special.rel_entr(a, b).sum() * (MIX_X[1] - MIX_X[0]))


@functools.lru_cache(maxsize=64)
def mixture_fits_data(mu0: float) -> dict:
    """The mixture, its forward and reverse Gaussian fits, both divergences and both profiles."""
    p = mixture_density(MIX_X, mu0)
    fwd = fit_gaussian(MIX_X, p, direction="forward")
    rev = fit_gaussian(MIX_X, p, direction="reverse")
    q_fwd, q_rev = scipy.stats.norm.pdf(MIX_X, *fwd), scipy.stats.norm.pdf(MIX_X, *rev)
    return {"mu0": mu0, "p": p, "q_fwd": q_fwd, "q_rev": q_rev, "fwd": fwd, "rev": rev,
            "kl_fwd": _kl_on_grid(p, q_fwd), "kl_rev": _kl_on_grid(q_rev, p),
            "profile_rev": reverse_kl_profile(mu0), "profile_fwd": forward_kl_profile(mu0)}


def draw_mixture_fits(fig, data):
    """Left: the mixture and the two fits. Right: the best divergence for each mean mu."""
    left, right = fig.subplots(1, 2, width_ratios=[1.3, 1])
    (p_line,) = left.plot(MIX_X, data["p"], color=COLORS["neutral"], lw=2.5, label="p (mixture)")
    (fwd_line,) = left.plot(MIX_X, data["q_fwd"], color=COLORS["p"],
                            label="forward: min KL(p ‖ q)")
    (rev_line,) = left.plot(MIX_X, data["q_rev"], color=COLORS["q"], ls="--",
                            label="reverse: min KL(q ‖ p)")
    decorate(left, xlabel="x", ylabel="density", xlim=MIX_VIEW, ylim=(0, 0.5), legend=False)
    left.legend(loc="upper left", fontsize="x-small")
    readout = left.text(0.98, 0.97, "", transform=left.transAxes, ha="right", va="top",
                        fontsize="x-small", family="monospace")

    (prof_fwd,) = right.plot([], [], color=COLORS["p"], label="forward")
    (prof_rev,) = right.plot([], [], color=COLORS["q"], ls="--", label="reverse")
    (dot_fwd,) = right.plot([], [], "o", color=COLORS["p"])
    (dot_rev,) = right.plot([], [], "o", color=COLORS["q"])
    decorate(right, title="best KL for each mean μ (nats)", xlabel="μ", xlim=(-6, 6),
             ylim=(0, PROFILE_MAX), legend=False)
    right.legend(loc="upper center", fontsize="x-small")

    def update(data):
        p_line.set_ydata(data["p"])
        fwd_line.set_ydata(data["q_fwd"])
        rev_line.set_ydata(data["q_rev"])
        (mf, sf), (mr, sr) = data["fwd"], data["rev"]
        mf, mr = round(mf, 2) + 0.0, round(mr, 2) + 0.0        # no "-0.00"
        readout.set_text(f"forward μ={mf:+.2f} σ={sf:.2f} KL(p‖q)={data['kl_fwd']:.3f}\n"
                         f"reverse μ={mr:+.2f} σ={sr:.2f} KL(q‖p)={data['kl_rev']:.3f}")
        clip = PROFILE_MAX * 1.05
        prof_fwd.set_data(PROFILE_MUS, np.minimum(data["profile_fwd"], clip))
        prof_rev.set_data(PROFILE_MUS, np.minimum(data["profile_rev"], clip))
        dot_fwd.set_data([mf], [min(data["kl_fwd"], clip)])
        dot_rev.set_data([mr], [min(data["kl_rev"], clip)])
        return [p_line, fwd_line, rev_line, readout, prof_fwd, prof_rev, dot_fwd, dot_rev]

    update(data)
    return update


@register
def kl_direction_explorer() -> Explorer:
    """One Gaussian fitted to the mixture ½ N(−μ₀, 1) + ½ N(μ₀, 1) by minimizing the forward
    KL(p ‖ q) and the reverse KL(q ‖ p): the fits over the mixture (left), and for each mean μ
    the smallest divergence any σ achieves (right).

    Try: start at μ₀ = 0, where both fits are the mixture itself. Move μ₀ up: the forward fit
    (moment matching) widens to cover both modes, σ² = 1 + μ₀². The reverse fit stays central
    well after the mixture has two peaks; at μ₀ = 2.75 its profile has side valleys, and at
    μ₀ = 3.0 a side valley is the lowest: the reverse fit jumps onto one mode. The two profiles
    belong to different objectives: compare each one's shape, not their heights.
    """
    return Explorer(mixture_fits_data, draw_mixture_fits,
                    {"mu0": Slider("μ₀", 0.0, 5.0, 0.0, steps=21)},
                    figsize=(9.0, 3.4))


# --- distillation: the temperature ------------------------------------------------------------
TEACHER_LOGITS = np.array([5.0, 2.0, 1.0, 0.0, -2.0])
STUDENT_LOGITS = np.array([3.0, 3.0, -1.0, 1.0, 0.0])
T_RANGE = (0.5, 12.5)
T_GRID = np.geomspace(*T_RANGE, 120)
LOSS_RANGE = (1e-3, 10.0)


@functools.lru_cache(maxsize=1)
def _distillation_curve() -> np.ndarray:
    """T² KL over T_GRID (the teacher and the student are fixed)."""
    return np.array([distillation_loss(TEACHER_LOGITS, STUDENT_LOGITS, temperature=T)
                     for T in T_GRID])


def distillation_data(temperature: float) -> dict:
    """Softened teacher and student, the loss with and without T², and both gradients."""
    t, s, T = TEACHER_LOGITS, STUDENT_LOGITS, temperature
    losses = _distillation_curve()
    grad = distillation_loss_grad(t, s, temperature=T)
    centred = (s - s.mean()) - (t - t.mean())
    return {"T": T, "p": softmax(t, temperature=T), "q": softmax(s, temperature=T),
            "loss": float(distillation_loss(t, s, temperature=T)), "grad": grad,
            "grad_unscaled": grad / T**2, "limit": centred / t.size,
            "loss_curve": losses, "kl_curve": losses / T_GRID**2}


def draw_distillation(fig, data):
    """Left: teacher and student softened. Middle: the loss against T, with and without T².
    Right: the gradient of each, and the high-temperature limit ((s − s̄) − (t − t̄))/K."""
    bars_ax, loss_ax, grad_ax = fig.subplots(1, 3, width_ratios=[1.1, 1.2, 1.1])
    K = TEACHER_LOGITS.size
    x = np.arange(1, K + 1)
    teacher = bars_ax.bar(x - 0.2, data["p"], width=0.4, color=COLORS["p"], label="teacher p")
    student = bars_ax.bar(x + 0.2, data["q"], width=0.4, color=COLORS["q"], label="student q")
    bars_ax.set_xticks(x)
    decorate(bars_ax, title="softmax(logits / T)", xlabel="class", ylim=(0, 1), legend=False)
    bars_ax.legend(loc="upper right", fontsize="x-small")

    (scaled_line,) = loss_ax.plot(T_GRID, data["loss_curve"], color=COLORS["grad"],
                                  label="T² KL (the loss)")
    (kl_line,) = loss_ax.plot(T_GRID, data["kl_curve"], color=COLORS["neutral"], ls="--",
                              label="KL alone")
    (dot,) = loss_ax.plot([data["T"]], [data["loss"]], "o", color=COLORS["grad"])
    (kl_dot,) = loss_ax.plot([data["T"]], [data["loss"] / data["T"] ** 2], "o",
                             color=COLORS["neutral"])
    loss_ax.set_yscale("log")
    decorate(loss_ax, xlabel="temperature T", ylabel="nats", xlim=T_RANGE, ylim=LOSS_RANGE,
             legend=False)
    loss_ax.legend(loc="lower left", fontsize="x-small")
    readout = loss_ax.set_title(" ", fontsize="small")

    grad_bars = grad_ax.bar(x - 0.2, data["grad"], width=0.4, color=COLORS["grad"],
                            label="of T² KL: T(q − p)")
    raw_bars = grad_ax.bar(x + 0.2, data["grad_unscaled"], width=0.4, color=COLORS["neutral"],
                           label="of KL: (q − p)/T")
    grad_ax.plot(x - 0.2, data["limit"], "_", color="black", markersize=14, mew=2,
                 label=r"T → ∞: $((s - \bar s) - (t - \bar t))/K$")
    grad_ax.axhline(0, color=COLORS["neutral"], lw=0.8)
    grad_ax.set_xticks(x)
    decorate(grad_ax, title="gradient w.r.t. student logits s", xlabel="class", ylim=(-1, 1.4),
             legend=False)
    grad_ax.legend(loc="upper left", fontsize="x-small", ncols=1)

    def update(data):
        for k in range(K):
            teacher[k].set_height(data["p"][k])
            student[k].set_height(data["q"][k])
            grad_bars[k].set_height(data["grad"][k])
            raw_bars[k].set_height(data["grad_unscaled"][k])
        dot.set_data([data["T"]], [data["loss"]])
        kl_dot.set_data([data["T"]], [data["loss"] / data["T"] ** 2])
        readout.set_text(f"T² KL = {data['loss']:.3f},  KL = {data['loss'] / data['T']**2:.4f}")
        return [*teacher, *student, *grad_bars, *raw_bars, dot, kl_dot, readout,
                scaled_line, kl_line]

    update(data)
    return update


@register
def distillation_explorer() -> Explorer:
    """Knowledge distillation at temperature T: the teacher's and the student's softened
    predictions, the loss T² KL(p ‖ q) and the bare KL as T varies, and their gradients with
    respect to the student's logits.

    Try: at T = 1 the teacher is almost one-hot and the student sees little besides the top
    class; raise T and the teacher's ranking of the wrong classes appears. The bare KL (dashed)
    and its gradient (grey bars) fade like 1/T², while T² KL levels off and its gradient
    settles on the black marks, ((s − s̄) − (t − t̄))/K with s̄, t̄ the mean logits.
    """
    return Explorer(distillation_data, draw_distillation,
                    {"temperature": Slider("T", *T_RANGE, 1.0, steps=25)},
                    figsize=(10.0, 3.4))
