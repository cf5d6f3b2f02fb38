import pytest

from extractors.plan_period import five_year_plan_years, plan_period


@pytest.mark.parametrize("title, base_year, expected", [
    ("XX县推进水资源节约集约利用三年攻坚行动方案（2023-2025年）", 2023, (2023, 2025)),
    ("XX市推进工业节水实施意见（2026–2028 年）", 2026, (2026, 2028)),
    ("XX省节约用水行动计划（2021年—2025年）", None, (2021, 2025)),
    ("2024至2026年农村供水提升行动方案", None, (2024, 2026)),
    ("XX市“十四五”节约用水规划", None, (2021, 2025)),
    ("XX州“十五五”节水型社会建设规划", None, (2026, 2030)),
    ("2023年全区节约用水工作要点", None, (2023, 2023)),
    ("XX县2024年度水资源管理工作要点", None, (2024, 2024)),
    ("XX区节水工作要点", 2025, (2025, 2025)),          # annual genre, year from the base year
    ("XX市节水行动年度工作计划", 2022, (2022, 2022)),
])
def test_period(title, base_year, expected):
    p = plan_period(title, base_year)
    assert (p.start, p.end) == expected


@pytest.mark.parametrize("title", ["XX市节水行动实施方案", "XX区节水工作要点", None, ""])
def test_no_period(title):
    assert plan_period(title, None) is None


def test_single_year():
    assert plan_period("2023年全区节约用水工作要点", None).single_year
    assert not plan_period("XX行动方案（2023-2025年）", None).single_year


@pytest.mark.parametrize("name, years", [("十一五", (2006, 2010)), ("十三五", (2016, 2020)),
                                         ("十四五", (2021, 2025)), ("十五五", (2026, 2030))])
def test_five_year_plans(name, years):
    assert five_year_plan_years(name) == years
