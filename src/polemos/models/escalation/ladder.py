"""Escalation ladder: actors choose moves each week by logit quantal response.

State (per draw): the current rung ``r`` of an ordered ladder (Kahn 1965, *On Escalation:
Metaphors and Scenarios*, ch. 3, the 44-rung ladder, grouped here into a few rungs), the
highest rung reached, and the stocks of finite moves (missiles: stock plus weekly
production). Each week every actor ``a`` picks one option, "hold" or one available move
``m``, with the logit (quantal) response of McKelvey & Palfrey (1995), "Quantal response
equilibria for normal form games", GEB 10:6-38, eq. (4.1)::

    P_a(m) = exp(lambda_a U_a(m)) / sum_{m'} exp(lambda_a U_a(m'))

(sampled by the Gumbel-max trick, ``argmax(lambda U + G)`` with Gumbel ``G`` from float32
uniforms: exact up to float32 resolution, i.e. choice probabilities below ~1e-7 are 0). Utilities, relative to holding, with ``r'`` the
rung the move leads to (``max(r, rung_m)``, or ``rung_m`` for a de-escalation move)::

    U_a(m) = g_m (1 + kappa L_a) - c_m - (S[r'] - S[r])
             - rho_a D_a(m) - beta s 1[r' > r] + beta s 1[m de-escalates]
             + C_a 1[r_perceived >= red_a] 1[m is not a de-escalation]
    K_a[k] = min(1, sum_{o opposed to a} sigmoid(nu (k - red_o + 1/2))) (S[k+1] - S[k])

with ``D_a(m) = K_a[r'] - K_a[r]`` for a de-escalation move and ``max(0, K_a[r'] -
K_a[r])`` otherwise (a rise never lowers the counter-escalation risk the mover reckons
with; without the floor a jump to the top rung, where ``K`` is 0, would look like an escape
from the risk), ``g`` the move's battlefield/bargaining gain, ``c`` its cost, ``S`` the rung severities,
``L_a = max(0, -side_a b)`` the actor's battlefield loss from the trend ``b`` in [-1, 1]
(losing sides gamble on escalation: Downs & Rocke 1994, AJPS 38(2):362-380), ``s`` in
[0, 1] the state of talks, ``K_a`` the expected cost of the opponents' counter-escalation
when the rung crosses their red lines ``red_o`` (the expected number of answering
opponents, capped at one because the rung rises one step at a time, times the next
step's severity: more opponents with red lines, i.e. allies, deter more, up to a
certain answer), ``C_a`` the credibility cost of not
answering when the (possibly misperceived) rung has crossed the actor's own red line.
Moves are available if enabled, in stock, at most ``max_jump`` rungs above ``r`` and, for
one-off moves, above ``r``; de-escalation moves only below ``r`` and, if the move states
one, at or below its ``max_from`` rung (a truce offered in a proxy war is not an
armistice in a general war: each de-escalation move covers the rungs it describes).

Scarcity and tempo. A finite stock carries an opportunity cost: a unit fired now is not
available later. Hotelling (1931), "The economics of exhaustible resources", JPE
39(2):137-175, prices an exhaustible stock at the shadow price that rations it over the
planning horizon; Dasgupta & Heal (1979, *Economic Theory and Exhaustible Resources*,
ch. 6) give the same rule for a stock with replenishment. Here, with ``q_m`` the weekly
number of uses the stock can sustain over a horizon of ``H`` weeks,

    q_m = stock_m / (u_m H) + production_m / u_m          (u_m units per use)
    mu_m = max(0, (g_m - c_m) - logit(q_m) / lambda_a)  if q_m < 1, else 0

``mu_m`` is the constant price at which a logit chooser facing the typical week's net
gain ``g_m - c_m`` uses the move at most at the sustainable rate
(``sigmoid(lambda (g - c - mu)) = q``); it rises as the stock falls relative to
production and vanishes when the stock and production could sustain a use every week.
It is subtracted from ``U_a(m)``; the week's loss, red-line and talks terms still move
the choice around that rate. The munitions-planning literature reasons the same way:
stocks are rationed against expected future demand, not spent when a use merely pays
(e.g. Cancian 2023, *Empty Bins in a Wartime Environment*, CSIS; RAND RR-1365, Ochmanek
et al. 2017, on sustained campaign munitions demand). Doctrinal tempo, where a scenario
states it from the observed record: a move used in week ``t`` is unavailable until week
``t + cooldown_m + 1``, and at most ``max_per_year_m`` uses fall in each 52-week year
of the run (the count restarts every 52 weeks).

Transition: if any actor chooses a move at or above ``r``, ``r`` becomes the highest such
``r'``; otherwise, if any actor de-escalates, ``r`` falls to the highest of the
de-escalation targets and the rungs of the other moves chosen that week; otherwise it
stays. In a week without a deliberate rise, an unintended step
``r -> r + 1`` (accident, misperception; Schelling 1960 ch. 8, "the threat that leaves
something to chance") happens with hazard::

    h_eff[r] = min(1, h[r] (1 + eta_X X(r)) (1 + eta_L max_a L_a))

where ``X(r)`` is the number of actors whose red line is at or below ``r`` (the threat
that leaves something to chance grows with every red line crossed: Schelling 1960,
pp. 187-203) and ``L_a`` the battlefield loss above (a losing side's forces are pressed,
its alerts and dispersals raise the chance of an incident: Posen 1991, *Inadvertent
Escalation*, ch. 1). ``eta_X`` (``chance_weight``) and ``eta_L`` (``loss_hazard``) are
scenario data; with both 0 the hazard is ``h[r]``. Without de-escalation moves the rung
is non-decreasing. The hazards are calibrated on ICB crises
(:mod:`polemos.models.escalation.calibration`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.special import expit


@dataclass(frozen=True)
class LadderParams:
    """Inputs of the ladder kernel. Static structure, then per-draw arrays (leading n).

    severity (R,) or (n, R), move_actor (M,), move_rung (M,), move_deescalate (M,) bool,
    move_sustain (M,) bool (usable again once its rung is reached), use_size (M,),
    actor_side (A,) +1/-1; gain, cost, stock0, production (n, M) and enabled (n, M) bool;
    red_line, credibility, risk_weight, rationality (n, A) (red line: a rung index, R or
    more for none); accident (n, R) weekly hazard of an unintended step from each rung;
    misperception, loss_weight, talks_weight (n,). Tempo and scarcity (optional):
    ``cooldown`` (M,) weeks a move rests after a use (0 none), ``max_per_year`` (M,)
    uses per 52-week year (inf none), ``horizon`` the planning horizon in weeks of the
    stock's shadow price (0: no shadow price). Couplings of the unintended step (module
    docstring): ``chance_weight`` and ``loss_hazard`` (n,) (``None``: 0).
    ``move_max_from`` (M,): highest rung index from which a de-escalation move is
    available (``None``: any).
    """

    severity: np.ndarray
    move_actor: np.ndarray
    move_rung: np.ndarray
    move_deescalate: np.ndarray
    move_sustain: np.ndarray
    use_size: np.ndarray
    actor_side: np.ndarray
    gain: np.ndarray
    cost: np.ndarray
    stock0: np.ndarray
    production: np.ndarray
    enabled: np.ndarray
    red_line: np.ndarray
    credibility: np.ndarray
    risk_weight: np.ndarray
    rationality: np.ndarray
    accident: np.ndarray
    misperception: np.ndarray
    loss_weight: np.ndarray
    talks_weight: np.ndarray
    max_jump: int = 1
    red_line_sharpness: float = 4.0
    cooldown: np.ndarray | None = None
    max_per_year: np.ndarray | None = None
    horizon: float = 0.0
    chance_weight: np.ndarray | None = None
    loss_hazard: np.ndarray | None = None
    move_max_from: np.ndarray | None = None

    @property
    def n_draws(self) -> int:
        return int(self.accident.shape[0])

    @property
    def n_rungs(self) -> int:
        return int(np.shape(self.severity)[-1])


@dataclass(frozen=True)
class LadderState:
    """Per-draw state: ``rung``, ``max_rung`` (n,); ``stocks``, ``uses`` (n, M);
    ``first_week`` (n, R) (the week a rung was first reached; ``-1`` never yet);
    ``occupancy`` (n, R) weeks spent at each rung; ``first_actor`` (n, R) the actor whose
    move first reached each rung (-1 at the start or by an unintended step, -2 not yet);
    ``week`` steps taken; ``last_use`` (n, M) the week of each move's last use (a large
    negative number if never) and ``year_uses`` (n, M) uses in the current 52-week year
    (``None``: no use yet recorded)."""

    rung: np.ndarray
    max_rung: np.ndarray
    stocks: np.ndarray
    uses: np.ndarray
    first_week: np.ndarray
    occupancy: np.ndarray
    first_actor: np.ndarray
    week: int = 0
    last_use: np.ndarray | None = None
    year_uses: np.ndarray | None = None


@dataclass(frozen=True)
class _Tables:
    """Per-draw tables that depend on the current rung only, precomputed once, and the
    fixed inputs of :func:`step` laid out move-major ((M, n): a move's row over draws)."""

    pad: np.ndarray  # (A', J + 1) row of [moves..., holds..., none] per option slot of
    # each actor with two moves or more (``many``)
    slot_move: np.ndarray  # (A', J + 1) move index per slot, M for hold / none
    many: np.ndarray  # actors with two moves or more
    single: np.ndarray  # (2, S) actors with one move, and that move
    dv: np.ndarray  # (n, R, M) S[r'] - S[r] + rho K[r'] - rho K[r] for r' = r'(m, r)
    avail: np.ndarray  # (R, M) structural availability at rung r
    rise_term: np.ndarray  # (R, M) 1[m de-escalates] - 1[m raises the rung]
    lam_m: np.ndarray  # (n, M) rationality of the move's actor
    move_actor_hit: np.ndarray  # (M,) index into the flattened (A,) choice
    net: np.ndarray  # (n, M) g - c, the typical week's net gain (shadow price)
    finite_cols: np.ndarray  # moves with a finite stock in some draw
    cooldown: np.ndarray | None  # (M,) or None
    max_per_year: np.ndarray | None  # (M,) or None
    hazard0: np.ndarray  # (n, R) h[r] (1 + eta_X X(r)): the rung's part of the hazard
    gain_t: np.ndarray  # (M, n) g
    cost_t: np.ndarray  # (M, n) c
    lam_t: np.ndarray  # (M, n) lambda of the move's actor
    answer_row: np.ndarray  # (M,) actor of the move, A (a row of zeros) if it de-escalates
    move_info: np.ndarray  # (3, M + 1) rung, de-escalates, actor; column M: "no move"
    steady: np.ndarray  # (M,) stock +inf in every draw, finite production and use size
    price: tuple  # shadow-price inputs of the finite moves, (k, n): production, use, g - c,
    # max(lambda, 1e-9)
    rows: dict = field(default_factory=dict)  # per-draw rows at the current rung (_at_rung)


def _tables(p: LadderParams) -> _Tables:
    n_actors, n_moves, n_rungs = len(p.actor_side), len(p.move_actor), p.n_rungs
    slot = np.zeros(n_moves, int)
    counts = np.zeros(n_actors, int)
    for m, a in enumerate(p.move_actor):
        counts[a] += 1
        slot[m] = counts[a]
    n_slots = int(counts.max(initial=0)) + 1
    slot_move = np.full((n_actors, n_slots), n_moves)
    slot_move[p.move_actor, slot] = np.arange(n_moves)
    pad = np.full((n_actors, n_slots), n_moves + n_actors)  # "none": utility -inf
    pad[:, 0] = n_moves + np.arange(n_actors)  # each actor's hold: utility 0
    pad[p.move_actor, slot] = np.arange(n_moves)

    sev = np.broadcast_to(np.asarray(p.severity, float), (p.n_draws, n_rungs))  # (n, R)
    step_cost = np.concatenate([np.diff(sev, axis=1), np.zeros((p.n_draws, 1))], 1)
    k = np.arange(n_rungs)
    opposed = (p.actor_side[:, None] != p.actor_side[None, :]).astype(float)  # (A, A)
    q = expit(p.red_line_sharpness * (k[None, None, :] - p.red_line[:, :, None] + 0.5))
    # expected number of answering opponents, capped at one answer (one step at a time)
    answers = np.minimum(np.einsum("ao,nok->nak", opposed, q), 1.0)
    k_actor = answers * step_cost[:, None, :]  # (n, A, R)
    risk = p.risk_weight[:, :, None] * k_actor  # (n, A, R)

    rung_m, deesc = np.asarray(p.move_rung, int), np.asarray(p.move_deescalate, bool)
    r_col = k[:, None]  # (R, 1)
    r_new = np.where(deesc[None, :], rung_m[None, :], np.maximum(r_col, rung_m[None, :]))
    esc_ok = (rung_m[None, :] <= r_col + p.max_jump) & (
        np.asarray(p.move_sustain, bool)[None, :] | (rung_m[None, :] > r_col)
    )
    top = np.full(n_moves, n_rungs - 1) if p.move_max_from is None else np.asarray(
        p.move_max_from, int)
    avail = np.where(deesc[None, :], (rung_m[None, :] < r_col) & (r_col <= top[None, :]),
                     esc_ok)
    rises = (r_new > r_col) & ~deesc[None, :]
    # laid out (n, R, M): entry [i, r, m] for the move m taken from the rung r
    actor = np.asarray(p.move_actor, int)[None, :]
    d_risk = risk[:, actor, r_new] - risk[:, actor, k[:, None]]
    # a rise never lowers the counter-escalation risk a mover reckons with: at the top of
    # the ladder K is 0 (nothing above), and without the floor a jump to the top would
    # "escape" the risk it already bears (a boundary artefact, not pre-emption)
    d_risk = np.where(deesc[None, None, :], d_risk, np.maximum(d_risk, 0.0))
    dv = sev[:, r_new] - sev[:, :, None] + d_risk  # S[r'] - S[r] + rho K[r'] - rho K[r]
    crossed = (np.asarray(p.red_line)[:, None, :] <= k[None, :, None]).sum(2).astype(float)
    hazard0 = np.asarray(p.accident, float)
    if p.chance_weight is not None:  # the same product as per draw and week: same bits
        hazard0 = hazard0 * (1.0 + p.chance_weight[:, None] * crossed)
    stock0, use = np.asarray(p.stock0, float), np.asarray(p.use_size, float)
    lam_m = np.asarray(p.rationality, float)[:, p.move_actor]
    return _Tables(
        pad=pad[counts >= 2],
        slot_move=slot_move[counts >= 2],
        many=np.flatnonzero(counts >= 2),
        single=np.array([np.flatnonzero(counts == 1),
                         slot_move[counts == 1, 1] if n_slots > 1 else np.zeros(0, int)],
                        dtype=np.intp).reshape(2, -1),
        dv=dv,
        avail=avail,
        rise_term=deesc[None, :].astype(float) - rises,
        lam_m=lam_m,
        move_actor_hit=np.asarray(p.move_actor, int),
        net=np.asarray(p.gain, float) - np.asarray(p.cost, float),
        finite_cols=np.flatnonzero(np.isfinite(stock0).any(0)),
        cooldown=None if p.cooldown is None or not np.any(np.asarray(p.cooldown) > 0)
        else np.asarray(p.cooldown, float),
        max_per_year=None if p.max_per_year is None or np.all(np.isinf(p.max_per_year))
        else np.asarray(p.max_per_year, float),
        hazard0=np.ascontiguousarray(hazard0),
        gain_t=np.ascontiguousarray(np.asarray(p.gain, float).T),
        cost_t=np.ascontiguousarray(np.asarray(p.cost, float).T),
        lam_t=np.ascontiguousarray(lam_m.T),
        answer_row=np.where(deesc, n_actors, p.move_actor),
        move_info=np.array([np.append(rung_m, -1), np.append(deesc, False),
                            np.append(p.move_actor, -1)], dtype=np.intp),
        steady=(np.isposinf(stock0).all(0) & np.isfinite(np.asarray(p.production, float)).all(0)
                & np.isfinite(use)),
        price=_price_inputs(p, lam_m, np.flatnonzero(np.isfinite(stock0).any(0))),
    )


def _price_inputs(p: LadderParams, lam_m: np.ndarray, cols: np.ndarray) -> tuple:
    """The fixed inputs of :func:`_price` for the moves ``cols``, move-major (k, n)."""
    net = np.asarray(p.gain, float) - np.asarray(p.cost, float)
    return (np.asarray(p.production, float).T[cols], np.asarray(p.use_size, float)[cols, None],
            net.T[cols], np.maximum(lam_m.T[cols], 1e-9))


def shadow_price(p: LadderParams, stocks: np.ndarray, net: np.ndarray,
                 lam_m: np.ndarray, cols: np.ndarray | None = None) -> np.ndarray:
    """Opportunity cost (n, M) of using a finite stock now (module docstring, Hotelling
    1931): ``max(0, (g - c) - logit(q) / lambda)`` where the sustainable weekly use rate
    ``q = stock / (u H) + production / u`` is below one; zero otherwise or if ``H = 0``."""
    mu = np.zeros_like(net)
    if p.horizon <= 0:
        return mu
    if cols is None:  # unlimited moves carry no price
        cols = np.flatnonzero(np.isfinite(stocks).any(0))
    if len(cols) == 0:
        return mu
    mu[:, cols] = _price(p.horizon, stocks[:, cols], p.production[:, cols],
                         np.asarray(p.use_size, float)[cols], net[:, cols],
                         np.maximum(lam_m[:, cols], 1e-9))
    return mu


def _price(horizon: float, stocks: np.ndarray, production: np.ndarray, use: np.ndarray,
           net: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """:func:`shadow_price` of some moves, elementwise over inputs of one layout
    (``lam`` already floored at 1e-9)."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        q = stocks / horizon
        q += production
        q /= use
        np.copyto(q, np.inf, where=np.isnan(q))
        np.maximum(q, 1e-9, out=q)  # as clip(q, 1e-9, None): q has no NaN left
        scarce = q < 1.0
        qs = np.where(scarce, q, 0.5)
        price = np.maximum(0.0, net - np.log(qs / (1.0 - qs)) / lam)
    np.copyto(price, 0.0, where=~scarce)
    return price


def initial_state(p: LadderParams, start_rung: np.ndarray | int = 0) -> LadderState:
    """The state before week 0: every draw at ``start_rung``, full stocks."""
    n, r_count = p.n_draws, p.n_rungs
    rung = np.broadcast_to(np.asarray(start_rung, np.intp), (n,)).copy()
    first = np.full((n, r_count), -1)
    first[np.arange(r_count)[None, :] <= rung[:, None]] = 0
    stocks = np.asarray(p.stock0, float).copy()
    actor = np.where(first == 0, -1, -2)
    return LadderState(rung, rung.copy(), stocks, np.zeros_like(stocks), first,
                       np.zeros((n, r_count)), actor, 0,
                       np.full(stocks.shape, -(10**9), dtype=np.int64), np.zeros_like(stocks))


def _at_rung(t: _Tables, r: np.ndarray) -> dict[str, np.ndarray]:
    """The rung tables' rows at each draw's rung, move-major (M, n): ``dv``, ``rise``,
    ``avail``. Kept between calls and refreshed only for the draws whose rung changed
    (a draw's rung moves in few weeks): the same values as indexing afresh."""
    rows = t.rows
    if "r" not in rows:
        shape = (t.dv.shape[2], len(r))  # (M, n)
        rows.update(r=np.full(len(r), -1, dtype=r.dtype), dv=np.empty(shape),
                    rise=np.empty(shape), avail=np.empty(shape, bool))
    moved = np.flatnonzero(rows["r"] != r)
    if len(moved):
        rm = r[moved]
        rows["dv"][:, moved] = t.dv[moved, rm].T
        rows["rise"][:, moved] = t.rise_term[rm].T
        rows["avail"][:, moved] = t.avail[rm].T
        rows["r"][moved] = rm
    return rows


def _utility(state: LadderState, p: LadderParams, t: _Tables, rng: np.random.Generator,
             loss_t: np.ndarray, s: np.ndarray, at: dict) -> np.ndarray:
    """``lambda_a U_a(m)`` (M, n) of the module docstring, term by term in the order of
    the plain formula (same bits). Two terms are skipped where they add only zeros: the
    talks term in draws without talks and the shadow price of unlimited moves; adding a
    zero can only change the sign of a zero utility, which the choice never sees (a
    maximum: -0 == +0)."""
    n, n_actors, r = p.n_draws, len(p.actor_side), state.rung
    perceived = r[None, :] + (rng.random((n, n_actors)).T < p.misperception[None, :])
    seen = np.minimum(perceived, p.n_rungs - 1) >= p.red_line.T
    answer = np.zeros((n_actors + 1, n))  # row A: zeros, the de-escalation moves' row
    np.multiply(p.credibility.T, seen, out=answer[:n_actors])
    util = np.take(loss_t, t.move_actor_hit, axis=0)
    util *= p.loss_weight[None, :]
    util += 1.0
    util *= t.gain_t
    util -= t.cost_t
    util -= at["dv"]
    ts = p.talks_weight * s
    talks = np.flatnonzero(ts != 0.0)
    if len(talks) == n:
        util += ts[None, :] * at["rise"]
    elif len(talks):
        util[:, talks] += ts[talks][None, :] * at["rise"][:, talks]
    util += np.take(answer, t.answer_row, axis=0)
    cols = t.finite_cols
    if p.horizon > 0 and len(cols):
        util[cols] -= _price(p.horizon, state.stocks.T[cols], *t.price)
    util *= t.lam_t
    return util


def _live(state: LadderState, t: _Tables, inplace: bool) -> np.ndarray:
    """The moves whose stocks change: all but those +inf in every draw (steady). Stepping
    in place, only these columns of the same array are written: kept for that array."""
    if inplace and t.rows.get("stocks") is state.stocks:
        return t.rows["live"]
    live = np.flatnonzero(~(t.steady & (state.stocks.min(0) == np.inf)))
    if inplace:
        t.rows.update(stocks=state.stocks, live=live)
    return live


def _available(state: LadderState, p: LadderParams, t: _Tables, at: dict,
               year_uses: np.ndarray, last_use: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Moves available (M, n): at the rung, enabled, in stock, rested, under the cap."""
    avail = at["avail"] & p.enabled.T
    if len(live):  # an unlimited stock (+inf) always covers a finite use
        avail[live] &= (state.stocks[:, live] >= p.use_size[None, live]).T
    if t.cooldown is not None:
        avail &= (state.week - last_use > t.cooldown[None, :]).T
    if t.max_per_year is not None:
        avail &= (year_uses + 1.0 <= t.max_per_year[None, :]).T
    return avail


def _choose(ext: np.ndarray, t: _Tables, n_actors: int) -> np.ndarray:
    """Each actor's option (A, n) (a move index, M for hold): the first maximum of
    ``ext`` over the actor's slots [hold, moves...], as ``argmax`` would pick it (which
    is several times slower along that axis). An actor without moves holds; one with a
    single move takes it if it beats holding (a tie holds, NaN counts as the maximum)."""
    n_moves = len(t.move_actor_hit)
    choice = np.full((n_actors, ext.shape[1]), n_moves)
    if len(t.many):
        choice[t.many] = _first_max(ext, t.pad, t.slot_move)
    actors, moves = t.single
    if len(actors):
        move, hold = ext[moves], ext[n_moves + actors]
        pick = move > hold
        if np.isnan(move).any() or np.isnan(hold).any():
            pick = np.where(np.isnan(hold), False, pick | np.isnan(move))
        choice[actors] = np.where(pick, moves[:, None], n_moves)
    return choice


def _first_max(ext: np.ndarray, pad: np.ndarray, slot_move: np.ndarray) -> np.ndarray:
    """The move (or M) in the first slot of each row of ``pad`` holding its maximum."""
    z = np.take(ext, pad, axis=0)  # (A', J + 1, n)
    eq = z == z.max(1)[:, None, :]
    notyet = ~eq[:, 0]
    slot = notyet.astype(np.intp)
    for j in range(1, z.shape[1]):
        notyet &= ~eq[:, j]
        slot += notyet
    if notyet.any():  # a NaN maximum: argmax's rule (the first NaN)
        slot = z.argmax(1)
    slot += np.arange(0, slot_move.size, slot_move.shape[1])[:, None]
    return np.take(slot_move.ravel(), slot)


def _transition(t: _Tables, r: np.ndarray, choice: np.ndarray) -> tuple[np.ndarray, ...]:
    """The deliberate rung (n,) after the week's choices (A, n), and the actor whose move
    set it (-1 none): the rule of the module docstring over the chosen moves only."""
    rung_c, deesc_c, actor_c = np.take(t.move_info, choice, axis=1)  # (A, n) each
    deesc_c = deesc_c.astype(bool)
    r_new = np.where(deesc_c, rung_c, np.maximum(r[None, :], rung_c))
    raises = ~deesc_c & (rung_c >= r[None, :])  # "no move" has rung -1: never raises
    up = np.where(raises, r_new, -1).max(0, initial=-1)  # -1: no move
    down = np.where(deesc_c, r_new, -1).max(0, initial=-1)
    below = np.where(deesc_c, -1, rung_c).max(0, initial=-1)
    down = np.where(down >= 0, np.maximum(down, below), -1)  # ongoing lower moves hold
    r_next = np.where(up >= 0, np.maximum(up, r), np.where(down >= 0, down, r))
    # the mover: the actor of the lowest-numbered move that set the rung
    first = np.where(raises & (r_new == r_next[None, :]), choice, len(t.move_actor_hit))
    return r_next, t.move_info[2][first.min(0, initial=len(t.move_actor_hit))]


def step(
    state: LadderState,
    p: LadderParams,
    rng: np.random.Generator,
    battlefield: np.ndarray | float = 0.0,
    bargaining: np.ndarray | float = 0.0,
    tables: _Tables | None = None,
    inplace: bool = False,
) -> LadderState:
    """Advance every draw one week (see the module docstring for the rule).

    ``battlefield`` (n,) in [-1, 1], positive when the trend favours side +1;
    ``bargaining`` (n,) in [0, 1], the state of talks. ``tables`` (from
    :func:`prepare`) saves recomputation inside loops. Returns a new state; with
    ``inplace`` its arrays are those of ``state``, updated (for a caller that keeps
    only the newest state: no copies).

    Move-major arrays (M, n) throughout; the random numbers are drawn in the same order
    and shapes as ever, and every float is computed by the same operations (same bits).
    """
    t = tables if tables is not None else _tables(p)
    n, n_rungs, n_moves = p.n_draws, p.n_rungs, len(p.move_actor)
    n_actors = len(p.actor_side)
    r = state.rung
    b = np.broadcast_to(np.asarray(battlefield, float), (n,))
    s = np.broadcast_to(np.asarray(bargaining, float), (n,))
    loss_t = np.maximum(0.0, -p.actor_side[:, None] * b[None, :])  # (A, n)
    at = _at_rung(t, r)
    util = _utility(state, p, t, rng, loss_t, s, at)
    last_use = state.last_use if state.last_use is not None else np.full(
        (n, n_moves), -(10**9), dtype=np.int64)
    year_uses = state.year_uses if state.year_uses is not None else np.zeros((n, n_moves))
    if state.week % 52 == 0:
        if inplace and state.year_uses is not None:
            year_uses[...] = 0.0
        else:
            year_uses = np.zeros_like(year_uses)
    live = _live(state, t, inplace)
    avail = _available(state, p, t, at, year_uses, last_use, live)

    # logit choice per actor: Gumbel-max over [hold, its moves]
    ext = np.empty((n_moves + n_actors + 1, n), np.float32)  # moves, holds, "none"
    ext[:n_moves] = util
    np.copyto(ext[:n_moves], -np.inf, where=~avail)
    ext[n_moves:-1] = 0.0
    ext[-1] = -np.inf
    g = rng.random((n_moves + n_actors, n), dtype=np.float32)
    with np.errstate(divide="ignore"):  # u = 0 gives -inf: that option is never picked
        np.log(g, out=g)
        np.negative(g, out=g)
        np.log(g, out=g)
    ext[:-1] -= g
    choice = _choose(ext, t, n_actors)  # (A, n)

    r_next, mover = _transition(t, r, choice)
    h = np.take(t.hazard0.ravel(), np.arange(n) * n_rungs + r_next)
    if p.loss_hazard is not None:
        h = h * (1.0 + p.loss_hazard * loss_t.max(0))
    slip = (r_next <= r) & (rng.random(n) < np.minimum(h, 1.0))
    mover = np.where(slip, -1, mover)
    r_next = np.minimum(r_next + slip, n_rungs - 1)
    return _advance(state, p, choice, r_next, mover, year_uses, last_use, live, inplace)


def _advance(state: LadderState, p: LadderParams, choice: np.ndarray, r_next: np.ndarray,
             mover: np.ndarray, year_uses: np.ndarray, last_use: np.ndarray,
             live: np.ndarray, inplace: bool) -> LadderState:
    """The next state from the week's choices (A, n), rungs and movers. The counts and
    weeks of use change only at the moves used (at most one per actor and draw): they
    are updated there (``x + 1``), the same values as adding the 0/1 use matrix."""
    n, n_rungs, n_moves = p.n_draws, p.n_rungs, len(p.move_actor)
    inplace = inplace and all(  # flat updates below write through contiguous arrays only
        x.flags.c_contiguous and x.flags.writeable
        for x in (state.stocks, state.first_week, state.first_actor, state.occupancy,
                  state.uses, year_uses, last_use))
    hit = choice < n_moves
    at = (np.arange(n)[None, :] * n_moves + choice)[hit]  # flat (n, M) index of each use
    used = np.zeros((n, n_moves), bool)
    used.ravel()[at] = True
    stocks = state.stocks if inplace else state.stocks.copy()
    if len(live):  # +inf - use + finite production stays +inf: only the others change
        stocks[:, live] = (state.stocks[:, live] - used[:, live] * p.use_size[None, live]
                           + p.production[:, live])
    max_rung = np.maximum(state.max_rung, r_next)
    if inplace:  # a state stepped from initial_state has first_week >= 0 exactly up to
        # max_rung: rungs are first reached only in the draws whose max_rung rises
        first, first_actor = state.first_week, state.first_actor
        rows = np.flatnonzero(max_rung > state.max_rung)
        if len(rows):
            newly = (np.arange(n_rungs)[None, :] <= max_rung[rows, None]) & (first[rows] < 0)
            first[rows] = np.where(newly, state.week, first[rows])
            first_actor[rows] = np.where(newly, mover[rows, None], first_actor[rows])
        occ, uses = state.occupancy, state.uses
    else:
        first = state.first_week.copy()
        newly = (np.arange(n_rungs)[None, :] <= max_rung[:, None]) & (first < 0)
        first[newly] = state.week
        first_actor = np.where(newly, mover[:, None], state.first_actor)
        occ, uses = state.occupancy.copy(), state.uses.copy()
        year_uses, last_use = year_uses.copy(), last_use.copy()
    occ.ravel()[np.arange(n) * n_rungs + r_next] += 1
    uses.ravel()[at] += 1.0
    year_uses.ravel()[at] += 1.0
    last_use.ravel()[at] = state.week
    return replace(state, rung=r_next, max_rung=max_rung, stocks=stocks, uses=uses,
                   first_week=first, occupancy=occ, first_actor=first_actor,
                   week=state.week + 1, last_use=last_use, year_uses=year_uses)


def prepare(p: LadderParams) -> _Tables:
    """Precomputed tables for repeated :func:`step` calls with the same ``p``."""
    return _tables(p)


def _at(x: np.ndarray | float | None, n: int, t: int) -> np.ndarray | float:
    """Week ``t`` of an input given as a scalar, (n,) or (n, T) array."""
    if x is None:
        return 0.0
    arr = np.asarray(x, float)
    return arr[:, t] if arr.ndim == 2 else arr


def simulate(
    p: LadderParams,
    weeks: int,
    rng: np.random.Generator,
    battlefield: np.ndarray | float | None = None,
    bargaining: np.ndarray | float | None = None,
    start_rung: np.ndarray | int = 0,
) -> dict[str, np.ndarray]:
    """Run :func:`step` for ``weeks`` weeks; per-draw paths and summaries.

    Returns ``rung``, ``max_rung`` (n, weeks) ints; ``occupancy`` (n, R) the share of
    weeks at each rung (sums to one); ``first_week`` (n, R) (-1 never reached);
    ``first_actor`` (n, R) whose move first reached the rung (-1 start or accident, -2 never);
    ``stocks``, ``uses`` (n, M) at the end.
    """
    state = initial_state(p, start_rung)
    tables = prepare(p)
    n = p.n_draws
    rung = np.empty((n, weeks), np.int8 if p.n_rungs < 128 else int)
    top = np.empty_like(rung)
    for t in range(weeks):
        state = step(state, p, rng, _at(battlefield, n, t), _at(bargaining, n, t), tables)
        rung[:, t] = state.rung
        top[:, t] = state.max_rung
    return {
        "rung": rung.astype(int),
        "max_rung": top.astype(int),
        "occupancy": state.occupancy / max(weeks, 1),
        "first_week": state.first_week,
        "first_actor": state.first_actor,
        "stocks": state.stocks,
        "uses": state.uses,
    }


def reach_by_week(max_rung: np.ndarray, n_rungs: int) -> np.ndarray:
    """Probability (weeks, R) over draws of having reached each rung by each week."""
    return (max_rung[:, :, None] >= np.arange(n_rungs)[None, None, :]).mean(0)


def run_ladder(
    *,
    weeks: int,
    rng: np.random.Generator,
    battlefield: np.ndarray | float | None = None,
    bargaining: np.ndarray | float | None = None,
    start_rung: np.ndarray | int = 0,
    **params,
) -> dict[str, np.ndarray]:
    """Escalation ladder under logit quantal response (McKelvey & Palfrey 1995, eq. 4.1)
    with red lines, finite stocks and unintended-step hazards (Kahn 1965; Schelling 1960).

    Keyword form of :func:`simulate` for the model registry: ``params`` are the fields of
    :class:`LadderParams`. Returns per-draw ``rung``/``max_rung`` paths (n, weeks), the
    rung ``occupancy`` shares (n, R), ``first_week`` (n, R), ``stocks``/``uses`` (n, M).
    """
    return simulate(LadderParams(**params), weeks, rng, battlefield, bargaining, start_rung)
