"""What the demo cases are drawn from: the half-year volumes, the windows with their weights
and matters, the staff on duty, and the working days' shares of each half-year."""

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from django.conf import settings

from chuangkou.catalog.models import Matter
from chuangkou.org.models import Assignment, Center, Staff, Window

from ..models import ImportJob
from ..workdays import is_working_day

SEED = 2018
FIRST_DAY = dt.date(2017, 1, 1)
LIVE_SINCE = dt.date(2025, 1, 1)
BATCH = 5000
SCALES = {"full": 1, "small": 100, "tiny": 1000}  # divisors of the real volume; tiny: tests

# Cases accepted per half-year at full scale (H1 = January–June).
HALF_YEARS: dict[tuple[int, int], int] = {
    (2017, 1): 189_152,
    (2017, 2): 334_000,
    (2018, 1): 662_032,
    (2018, 2): 655_000,
    (2019, 1): 640_000,
    (2019, 2): 630_000,
    (2020, 1): 380_000,
    (2020, 2): 560_000,
    (2021, 1): 600_000,
    (2021, 2): 600_000,
    (2022, 1): 520_000,
    (2022, 2): 560_000,
    (2023, 1): 600_000,
    (2023, 2): 610_000,
    (2024, 1): 600_000,
    (2024, 2): 600_000,
}
LATER_HALF_YEAR = 590_000
# Share of online applications (网上申请) by year, for matters that can be done online.
ONLINE_SHARE = {2017: 0.06, 2018: 0.12, 2019: 0.22, 2020: 0.38, 2021: 0.42, 2022: 0.46}
LATER_ONLINE_SHARE = 0.5
# Chance that the applicant has to come (again) before the result, by year.
EXTRA_TRIP = {2017: 0.2, 2018: 0.1, 2019: 0.05}
LATER_EXTRA_TRIP = 0.035
# A matter that promises no trip at all (零跑) is mostly done online once that is possible.
ZERO_TRIP_ONLINE = {2017: 0.4, 2018: 0.6, 2019: 0.7, 2020: 0.8}
LATER_ZERO_TRIP_ONLINE = 0.85

# Window weight by name (cases per working day, relative); the others weigh 0.6.
WINDOW_WEIGHTS = {
    "交通违法处理窗口": 3.4,
    "不动产登记综合窗口": 3.0,
    "不动产抵押登记窗口": 2.0,
    "存量房交易税费窗口": 1.7,
    "驾驶证业务窗口": 1.6,
    "机动车业务窗口": 1.5,
    "不动产领证窗口": 1.4,
    "综合办税窗口": 1.3,
    "房产交易备案窗口": 1.2,
    "不动产查询窗口": 1.2,
    "人力社保综合窗口": 1.1,
    "户籍业务窗口": 1.0,
    "医保综合窗口": 1.0,
    "公积金业务窗口": 1.0,
    "企业登记窗口": 1.0,
    "出入境业务窗口": 0.9,
    "发票领用窗口": 0.9,
    "人力社保综合进件窗口": 0.7,
}
GENERIC_WORDS = ("窗口", "综合", "业务", "登记", "办理", "服务")

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华晓东海燕志强文博雨欣子涵"
    "浩然梓萱宇轩思远佳怡俊杰欣怡一鸣晨阳嘉怡婷婷"
)
GIVEN_NAMES = [GIVEN[i : i + 2] for i in range(0, len(GIVEN) - 1, 2)] + list(GIVEN[:20])
COMPANY_WORDS = (
    "新创 恒通 华盛 天成 中联 博远 信达 嘉禾 润泽 锦程 东方 云帆 之江 武林 钱塘 运河 西子 安和"
)
COMPANY_TRADES = [
    "科技",
    "贸易",
    "餐饮管理",
    "建筑工程",
    "文化传媒",
    "电子商务",
    "物业管理",
    "咨询服务",
]
ID_REGIONS = ["330103", "330102", "330105", "330106", "330104", "330108", "330110", "330183"]
MOBILE_PREFIXES = ["138", "139", "137", "136", "135", "158", "159", "188", "187", "150", "152"]


@dataclass
class WindowPlan:
    window: Window
    weight: float
    matters: list[Matter]
    matter_weights: list[float]  # cumulative


@dataclass
class Context:
    """What the cases are drawn from: windows with their matters, staff on each window."""

    tz: dt.tzinfo
    now: dt.datetime
    scope: str
    main: Center
    windows: list[WindowPlan]
    window_weights: list[float]  # cumulative, for random.choices
    online: list[Matter]
    online_weights: list[float]  # cumulative
    staff_at: dict[int, list[tuple[int, dt.date, dt.date | None, str]]]
    department_staff: dict[int, list[tuple[int, dt.date, dt.date | None, str]]]
    import_job: ImportJob | None = None
    counters: dict[dt.date, int] = field(default_factory=dict)


def _matter_weight(matter: Matter) -> float:
    return 2.0 if matter.promised_days == 0 else 1.0


def _tokens(name: str) -> set[str]:
    for word in GENERIC_WORDS:
        name = name.replace(word, "")
    return {name[i : i + 2] for i in range(len(name) - 1)}


def _window_plan(window: Window, matters: list[Matter]) -> WindowPlan | None:
    """The window's matters: those of its department whose names share a word with it first."""
    if not matters:
        return None
    tokens = _tokens(window.name)
    weights = [_matter_weight(m) * (6.0 if tokens & _tokens(m.name) else 1.0) for m in matters]
    return WindowPlan(
        window, WINDOW_WEIGHTS.get(window.name, 0.6), matters, list(accumulate(weights))
    )


def _postings() -> tuple[dict, dict]:
    """(window id -> postings, department id -> postings) as (staff id, start, end, name)."""
    by_window: dict[int, list] = defaultdict(list)
    by_department: dict[int, list] = defaultdict(list)
    names = dict(Staff.objects.values_list("pk", "name"))
    rows = Assignment.objects.filter(window__isnull=False).values_list(
        "staff_id", "window_id", "window__department_id", "start_date", "end_date"
    )
    for staff_id, window_id, department_id, start, end in rows:
        posting = (staff_id, start, end, names[staff_id])
        by_window[window_id].append(posting)
        by_department[department_id].append(posting)
    return by_window, by_department


def build_context(now: dt.datetime) -> Context | None:
    main = Center.objects.select_related("region").filter(kind=Center.Kind.MAIN).first()
    matters_by_department: dict[int, list[Matter]] = defaultdict(list)
    for matter in Matter.objects.filter(is_active=True).order_by("code"):
        matters_by_department[matter.department_id].append(matter)
    if main is None or not matters_by_department:
        return None
    plans = [
        plan
        for window in Window.objects.filter(is_active=True).select_related("center")
        if (plan := _window_plan(window, matters_by_department.get(window.department_id, [])))
    ]
    online = [m for ms in matters_by_department.values() for m in ms if m.online]
    by_window, by_department = _postings()
    return Context(
        tz=zoneinfo.ZoneInfo(settings.TIME_ZONE),
        now=now,
        scope=main.region.code,
        main=main,
        windows=plans,
        window_weights=list(accumulate(p.weight for p in plans)),
        online=online,
        online_weights=list(
            accumulate(_matter_weight(m) * (1.5 if m.max_visits == 0 else 1.0) for m in online)
        ),
        staff_at=by_window,
        department_staff=by_department,
    )


# --- volumes ---------------------------------------------------------------------------------


def _half_total(year: int, half: int, divisor: int) -> int:
    return round(HALF_YEARS.get((year, half), LATER_HALF_YEAR) / divisor)


def daily_volumes(rng: random.Random, divisor: int, today: dt.date):
    """(day, cases) for every working day from FIRST_DAY to today; each half-year sums to its
    total (largest remainders), days after today are dropped."""
    year, half = FIRST_DAY.year, 1
    while dt.date(year, 1 if half == 1 else 7, 1) <= today:
        start = dt.date(year, 1 if half == 1 else 7, 1)
        end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        days = [d for d in days if is_working_day(d)]
        weights = [_day_weight(rng, d, i / len(days)) for i, d in enumerate(days)]
        total = _half_total(year, half, divisor)
        shares = [total * w / sum(weights) for w in weights]
        counts = [int(s) for s in shares]
        rest = sorted(range(len(days)), key=lambda i: counts[i] - shares[i])
        for i in rest[: total - sum(counts)]:
            counts[i] += 1
        yield from ((d, n) for d, n in zip(days, counts, strict=True) if d <= today)
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def _day_weight(rng: random.Random, day: dt.date, progress: float) -> float:
    weekday = {0: 1.15, 1: 1.05, 2: 1.0, 3: 1.0, 4: 0.95}.get(day.weekday(), 0.85)
    return weekday * (0.9 + 0.2 * progress) * rng.uniform(0.85, 1.15)
