"""The years a plan covers, read from its title (pure; rules in data/rules/plan_period.yaml).

Precedence: an explicit span of years (（2023-2025年）) → a five-year-plan name (“十四五” → 2021–2025)
→ a single year in the title (2023年…工作要点) → an annual-plan genre without a year (…工作要点),
which covers the base year → unknown.
"""
from __future__ import annotations

from dataclasses import dataclass

from extractors.numbers import parse_number
from extractors.ruleset import load_ruleset


@dataclass(frozen=True)
class PlanPeriod:
    start: int
    end: int | None
    rule_id: str

    @property
    def single_year(self) -> bool:
        return self.end == self.start


def five_year_plan_years(name: str) -> tuple[int, int]:
    """十四五 -> (2021, 2025). From the third plan on (1966) the plans follow each other every five years."""
    n = int(parse_number(name[:-1]))
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def plan_period(title: str | None, base_year: int | None) -> PlanPeriod | None:
    if not title:
        return None
    rules = load_ruleset("plan_period")
    for label in ("span", "five_year_plan", "single_year", "annual_genre"):
        for rule in rules.with_label(label):
            m = rule.search(title)
            if not m:
                continue
            if label == "span":
                return PlanPeriod(int(m["y1"]), int(m["y2"]), rule.id)
            if label == "five_year_plan":
                return PlanPeriod(*five_year_plan_years(m["n"]), rule.id)
            if label == "single_year":
                return PlanPeriod(int(m["y1"]), int(m["y1"]), rule.id)
            if base_year is not None:
                return PlanPeriod(base_year, base_year, rule.id)
    return None
