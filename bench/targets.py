"""The performance targets, in one place: what `make bench` measures them against, and how to read each.

Each `Target` names the result file it reads (`bench/results/<part>.json`), its limit, and a
function that takes the measured figure out of that part's results (None when the run did not
measure it, e.g. a plan run without the 100k CLI size). The printed table, the JSON summary and
the README's Performance table all come from `evaluate`. Numbers are reported, never asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Results = dict[str, dict[str, Any]]  # part ("plan", "apply", "startup", "state") -> its results


@dataclass(frozen=True)
class Target:
    key: str
    what: str
    part: str
    limit: float
    unit: str  # "s", "MB", "x" (a ratio), "" (a count)
    read: Callable[[dict[str, Any]], float | None]
    at_least: bool = False  # True: the figure must reach the limit; False: stay at or below it
    source: str = "issue 15"

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit


def _size(rows: list[dict[str, Any]], size: int) -> dict[str, Any] | None:
    return next((r for r in rows if r.get("size") == size), None)


def _cli(size: int, read: Callable[[dict[str, Any]], float | None]) -> Callable[[dict[str, Any]], float | None]:
    def get(plan: dict[str, Any]) -> float | None:
        row = _size(plan.get("cli", []), size)
        return None if row is None else read(row)
    return get


def _pure(size: int, key: str) -> Callable[[dict[str, Any]], float | None]:
    def get(plan: dict[str, Any]) -> float | None:
        row = _size(plan.get("pure", []), size)
        return None if row is None else float(row[key])
    return get


def _phase(name: str) -> Callable[[dict[str, Any]], float | None]:
    return lambda row: row.get("phases_s", {}).get(name)


def _growth(plan: dict[str, Any], rows: str, read: Callable[[dict[str, Any]], float | None]) -> float | None:
    small, big = _size(plan.get(rows, []), 10000), _size(plan.get(rows, []), 100000)
    a, b = (read(small) if small else None), (read(big) if big else None)
    return b / a if a and b is not None else None


def _refresh_cpu_share(row: dict[str, Any]) -> float | None:
    """livesnap's CPU seconds during refresh over the seconds the vendors' rate limits impose.

    The in-process sandbox stands in for the vendors, so its CPU is not livesnap's: the run reports
    the refresh's CPU less the emulator's (``refresh_own_cpu_share``). Older results without it
    fall back to the refresh's whole CPU, then to the run's."""
    if row.get("refresh_own_cpu_share") is not None:
        return float(row["refresh_own_cpu_share"])
    cpu = row.get("phases_cpu_s", {}).get("refresh", row.get("cpu_s"))
    vendor_s = row.get("at_vendor_rates_s")
    return cpu / vendor_s if cpu is not None and vendor_s else None


def _requests_over_minimum(row: dict[str, Any]) -> float | None:
    minimum = row.get("minimum", {}).get("total_list_only")
    return row["requests_total"] / minimum if minimum else None


def _command_ratio(command: str, baseline: str) -> Callable[[dict[str, Any]], float | None]:
    def get(startup: dict[str, Any]) -> float | None:
        rows = startup.get("commands", {})
        if command not in rows or baseline not in rows:
            return None
        return rows[command]["median_ms"] / rows[baseline]["median_ms"]
    return get


def _default_apply_fraction(apply: dict[str, Any]) -> float | None:
    rows = [r for r in apply.get("scenarios", []) if r["client"].startswith("livesnap")
            and r.get("parallelism") == "auto" and r["limit_rps"] == 200]
    return min(r["fraction_of_limit"] for r in rows) if rows else None


def _livesnap_throttle_errors(apply: dict[str, Any]) -> float | None:
    rows = [r for r in apply.get("scenarios", []) if r["client"].startswith("livesnap")]
    return float(sum(r["throttle_errors_seen"] for r in rows)) if rows else None


PYTHON = "python -c pass"
PYTHON_YAML = 'python -c "import yaml"'
VERSION = "livesnap --version"
VALIDATE = "livesnap validate examples/manifests/"

TARGETS: tuple[Target, ...] = (
    Target("load_validate_expand_10k_s", "`livesnap plan` 10k: load + validate + expand", "plan", 0.3, "s",
           _cli(10000, _phase("load_validate_expand"))),
    Target("load_validate_expand_100k_s", "`livesnap plan` 100k: load + validate + expand", "plan", 2.0, "s",
           _cli(100000, _phase("load_validate_expand"))),
    Target("load_validate_expand_growth", "load + validate + expand growth 10k -> 100k", "plan", 11.0, "x",
           lambda plan: _growth(plan, "cli", _phase("load_validate_expand"))),
    Target("refresh_100k_s", "`livesnap plan` 100k: refresh (in-process sandbox)", "plan", 5.0, "s",
           _cli(100000, _phase("refresh"))),
    Target("refresh_requests_100k", "100k refresh requests / the APIs' minimum (1,051 / 1,048 before)", "plan",
           1.003, "x", _cli(100000, _requests_over_minimum)),
    Target("refresh_cpu_share_100k", "100k refresh CPU / time the vendor rate limits impose", "plan", 0.10, "x",
           _cli(100000, _refresh_cpu_share)),
    # The bench's process also holds the fleet's sandbox store (~360 MB at 100k), which a plan
    # against the real clouds does not: the target reads what the plan adds above it.
    Target("peak_rss_100k_mb", "`livesnap plan` 100k: peak RSS above the in-process sandbox's store", "plan",
           350.0, "MB", _cli(100000, lambda row: row.get("plan_rss_over_store_mb", row.get("peak_rss_mb")))),
    Target("pure_plan_10k_s", "expand + plan 10k (from refreshed data)", "plan", 1.0, "s", _pure(10000, "wall_s"),
           source="issue 7"),
    Target("pure_plan_100k_s", "expand + plan 100k (from refreshed data)", "plan", 10.0, "s",
           _pure(100000, "wall_s"), source="issue 7"),
    Target("pure_plan_growth", "expand + plan growth 10k -> 100k", "plan", 12.0, "x",
           lambda plan: _growth(plan, "pure", lambda r: r["wall_s"]), source="issue 7"),
    Target("pure_plan_rss_100k_mb", "expand + plan 100k: peak RSS, inputs included", "plan", 600.0, "MB",
           _pure(100000, "peak_rss_mb"), source="issue 7"),
    Target("apply_default_fraction_200", "`livesnap apply` default options, 200 req/s, 50 ms: share of the limit",
           "apply", 0.95, "x", _default_apply_fraction, at_least=True),
    Target("apply_throttle_errors", "`livesnap apply`: throttle errors surfaced (all scenarios)", "apply", 0.0, "",
           _livesnap_throttle_errors),
    Target("version_ratio", f"`{VERSION}` / `{PYTHON}` (medians, same run)", "startup", 1.8, "x",
           _command_ratio(VERSION, PYTHON)),
    Target("validate_ratio", f"`{VALIDATE}` / `{PYTHON_YAML}` (medians, same run)", "startup", 1.6, "x",
           _command_ratio(VALIDATE, PYTHON_YAML)),
)


@dataclass(frozen=True)
class Verdict:
    target: Target
    value: float | None

    @property
    def ratio(self) -> float | None:
        """measured / target; for a zero target (a count that must stay 0) the count itself."""
        if self.value is None:
            return None
        return self.value / self.target.limit if self.target.limit else self.value

    @property
    def status(self) -> str:
        if self.value is None:
            return "not measured"
        return "ok" if self.target.met(self.value) else "MISS"

    def to_dict(self) -> dict[str, Any]:
        t = self.target
        return {"key": t.key, "what": t.what, "part": t.part, "limit": t.limit, "unit": t.unit,
                "at_least": t.at_least, "source": t.source, "measured": self.value,
                "ratio": None if self.ratio is None else round(self.ratio, 3), "status": self.status}


def evaluate(results: Results) -> list[Verdict]:
    """Every target with its figure from ``results`` (None where that part or size was not run)."""
    out = []
    for target in TARGETS:
        part = results.get(target.part)
        value = target.read(part) if part else None
        out.append(Verdict(target, None if value is None else float(value)))
    return out
