"""Running the model for calibration: the baseline (and what-ifs) and the 2021 hindcast, R
times each on seeds N .. N+R-1, observed and set beside the targets (see `sim.calibrate`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sim.calibrate.bounds import check_replications
from sim.calibrate.measures import (
    HindcastObservation,
    Observation,
    against,
    observe,
    observe_hindcast,
    rate,
    spread,
)
from sim.calibrate.result import (
    Baseline,
    Calibration,
    Hindcast,
    HindcastOutcome,
    PmListHindcast,
    Row,
    rows,
)
from sim.calibrate.targets import Targets, load_targets
from sim.errors import InputError

__all__ = ["Baseline", "Calibration", "Hindcast", "HindcastOutcome", "Row", "calibrate",
           "load_targets", "rows"]


def _resolve_scenario(name: str, scenarios_dir: Path | None) -> Path:
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return Path(name)
    here = scenarios_dir or Path(__file__).resolve().parents[2] / "scenarios"
    path = here / f"{name}.yaml"
    if not path.is_file() and scenarios_dir is None:
        path = Path.cwd() / "scenarios" / f"{name}.yaml"
    return path


def _world_helpers(world: Any) -> tuple[Callable[[str | None], str | None],
                                        Callable[[str | None, str | None], bool]]:
    """party_of(pm) and leads(pm, party) for a world whose prime ministers may be persons
    (`candidates`, each with a party and a name) or, in older worlds, parties."""
    actors = world.actors
    candidates = getattr(world, "candidates", None) or {}

    def _party(c: Any) -> str | None:
        p = getattr(c, "party", None)
        return getattr(p, "value", p)

    def party_of(pm: str | None) -> str | None:
        if pm is None:
            return None
        if pm in candidates:
            return _party(candidates[pm])
        return pm if pm in actors else None

    def leads(pm: str | None, party: str | None) -> bool:
        if pm is None or party is None:
            return False
        if pm == party:
            return True
        c = candidates.get(pm)
        if c is None:
            return False
        leader = actors[party].leader if party in actors else None
        lead_flag = getattr(c, "leads", None)
        if lead_flag is not None:
            return bool(getattr(lead_flag, "value", lead_flag))
        return leader is not None and getattr(c, "name", None) == leader

    return party_of, leads


def _runs(path: Path, horizon: int, seeds: list[int],
          progress: Callable[[str, int], None] | None) -> tuple[Any, list[Any]]:
    import sim.api

    scenario = sim.api.load_scenario(path)
    if horizon != scenario.horizon_days:
        scenario = scenario.model_copy(update={"horizon_days": float(horizon)})
    out = []
    for seed in seeds:
        out.append(sim.api.run(scenario, seed=seed))
        if progress is not None:
            progress(scenario.name, len(out))
    return scenario, out


def calibrate(replications: int = 20, seed: int = 0, targets: Targets | None = None,
              scenarios_dir: str | Path | None = None,
              progress: Callable[[str, int], None] | None = None,
              what_ifs: Sequence[str | Path] = ()) -> Calibration:
    """Run the baseline and the hindcast `replications` times each; compare with history.

    `what_ifs` (scenario names or paths) are set beside history like the baseline, with the
    same seeds (common random numbers), so their rows differ from it for their own reasons."""
    from sim.scenario import resolved

    r = check_replications(replications)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError.cli("--seed", f"must be a non-negative integer, not {seed!r}")
    if seed + r > 2**63:
        raise InputError.cli("--seed", f"seeds {seed}..{seed + r - 1} pass 2**63-1")
    t = targets or load_targets()
    where = Path(scenarios_dir) if scenarios_dir is not None else None
    seeds = [seed + i for i in range(r)]
    interval = t.model.interval.value

    for w in what_ifs:  # a bad name fails before any run
        sim_load(_resolve_scenario(str(w), where))
    baseline = _model_side(t, _resolve_scenario(t.model.scenario, where), seeds, progress)
    others = [_model_side(t, _resolve_scenario(str(w), where), seeds, progress)
              for w in what_ifs]

    hc_sc, hc_runs = _runs(_resolve_scenario(t.hindcast.scenario, where),
                           int(_hindcast_horizon(t, where)), seeds, progress)
    hc_world = resolved(hc_sc)["world"]
    hc_party_of, _ = _world_helpers(hc_world)
    framework = frozenset(hc_world.actors["cf"].members) if "cf" in hc_world.actors \
        else frozenset()
    hc_obs = [observe_hindcast(run.summary, run.events, hc_party_of, framework)
              for run in hc_runs]
    names = {cid: c.name for cid, c in (getattr(hc_world, "candidates", None) or {}).items()}
    hindcast = _hindcast(t, hc_obs, hc_sc.name, int(hc_sc.horizon_days), interval, names)
    pm_lists = [_pm_list_hindcast(x, _resolve_scenario(x.hindcast, where), seeds, interval,
                                  progress)
                for x in t.sitting_pm_lists if x.hindcast is not None]
    return Calibration(replications=r, seeds=seeds, interval=interval, baseline=baseline,
                       what_ifs=others, hindcast=hindcast, pm_lists=pm_lists,
                       rows=rows(t, baseline, hindcast, others, pm_lists))


def _pm_list_hindcast(x: Any, path: Path, seeds: list[int], interval: float,
                      progress: Callable[[str, int], None] | None) -> PmListHindcast:
    """An established list's hindcast: the sitting PM's list's seats at the scenario's election,
    run on the same seeds as the baseline."""
    from sim.scenario import resolved

    scenario, runs = _runs(path, int(sim_load(path).horizon_days), seeds, progress)
    world = resolved(scenario)["world"]
    party_of, leads = _world_helpers(world)
    obs = [observe(run.summary, world.government.prime_minister.value, party_of, leads)
           for run in runs]
    shares = spread([o.sitting_pm_seats / o.size for o in obs
                     if o.sitting_pm_seats is not None and o.size], interval=interval)
    return PmListHindcast(
        scenario=scenario.name, year=x.year, list=x.list,
        share=against([x.share], shares, interval),
        sitting_pm_party=dict(sorted(Counter(o.sitting_pm_party or "none"
                                             for o in obs).items())))


def sim_load(path: Path) -> Any:
    import sim.api

    return sim.api.load_scenario(path)


def _model_side(t: Targets, path: Path, seeds: list[int],
                progress: Callable[[str, int], None] | None) -> Baseline:
    """One scenario's runs, followed at least to the targets' horizon, set beside history."""
    from sim.scenario import resolved

    horizon = max(t.model.horizon_days.value, int(sim_load(path).horizon_days))
    scenario, runs = _runs(path, horizon, seeds, progress)
    world = resolved(scenario)["world"]
    party_of, leads = _world_helpers(world)
    initial_pm = world.government.prime_minister.value
    obs = [observe(run.summary, initial_pm, party_of, leads) for run in runs]
    return _baseline(t, obs, scenario.name, horizon, t.model.interval.value)


def _hindcast_horizon(t: Targets, where: Path | None) -> float:
    import sim.api

    return sim.api.load_scenario(_resolve_scenario(t.hindcast.scenario, where)).horizon_days


def _baseline(t: Targets, obs: list[Observation], name: str, horizon: int,
              interval: float) -> Baseline:
    days = spread([o.days_to_government for o in obs], [o.censored_after for o in obs],
                  interval)
    shares = spread([o.sitting_pm_seats / o.size for o in obs
                     if o.sitting_pm_seats is not None and o.size], interval=interval)
    history_led = [p.led_first_list.value for p in t.prime_ministers]
    return Baseline(
        scenario=name, horizon_days=horizon,
        days_to_government=against([f.days.value for f in t.formations], days, interval),
        # the baseline's sitting PM (Sudani) leads a new list: set beside the new-list analogue
        sitting_pm_share=against([x.share for x in t.sitting_pm_lists if x.new_list], shares,
                                 interval),
        sitting_pm_party=dict(sorted(Counter(o.sitting_pm_party or "none"
                                             for o in obs).items())),
        pm_not_first_list=rate(sum(not led for led in history_led), len(history_led),
                               [None if o.pm_leads_first_list is None
                                else not o.pm_leads_first_list for o in obs], interval))


HINDCAST_OUTCOMES = ("majority_attempt", "blocking_third", "sadrist_withdrawal", "clash")


def _hindcast(t: Targets, obs: list[HindcastObservation], name: str, horizon: int,
              interval: float, names: dict[str, str] | None = None) -> Hindcast:
    seen = t.hindcast.observed
    outcomes = []
    for key in HINDCAST_OUTCOMES:
        happened = bool(getattr(seen, key).value)
        outcomes.append(HindcastOutcome(name=key, history=happened, model=rate(
            int(happened), 1, [bool(getattr(o, key)) for o in obs], interval)))
    days = spread([o.days_to_government for o in obs], [o.censored_after for o in obs],
                  interval)
    withdrawn = spread([o.withdrawal_day for o in obs if o.sadrist_withdrawal],
                       interval=interval)
    return Hindcast(
        scenario=name, horizon_days=horizon, outcomes=outcomes,
        days_to_government=against([seen.days_to_government.value], days, interval),
        withdrawal_day=against([seen.withdrawal_day.value], withdrawn, interval),
        prime_minister=dict(sorted(Counter(o.prime_minister or "none" for o in obs).items())),
        prime_minister_after_withdrawal=dict(sorted(Counter(
            o.prime_minister or "none" for o in obs
            if o.sadrist_withdrawal and o.days_to_government is not None).items())),
        history_pm=seen.prime_minister.value,
        history_pm_name=(names or {}).get(seen.prime_minister.value, seen.prime_minister.value),
        pm_as_history=rate(1, 1, [o.prime_minister == seen.prime_minister.value for o in obs],
                           interval),
        framework_gain=against([seen.framework_gain.value],
                               spread([o.framework_gain for o in obs
                                       if o.framework_gain is not None], interval=interval),
                               interval),
        seats_vacated=seen.seats_vacated.value,
        sit_in_days=None if seen.sit_in_days is None else against(
            [seen.sit_in_days.value],
            spread([o.sit_in_days for o in obs if o.sit_in_days is not None],
                   interval=interval), interval),
        framework_joined_early=None if seen.framework_joined_early is None else against(
            [seen.framework_joined_early.value],
            spread([o.framework_joined_early for o in obs
                    if o.framework_joined_early is not None], interval=interval), interval))
