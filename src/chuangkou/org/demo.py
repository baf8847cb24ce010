"""The org part of the demo data: 杭州市下城区, its administrative service center and street
sub-centers, the departments stationed there, their windows, and the window staff since 2016.

Every figure is drawn from `random.Random(2018)`, so each load gives the same rows. The hires and
separations of the temporary staff (临编) are planned so that the briefing's turnover figures
come out of the individual dates through `selectors.turnover`:

- 2017-01-01..2017-12-31: 28 separations ÷ ((150 + 154) ÷ 2) = 18.4 %
- 2017-07-01..2018-06-30: 15 separations ÷ ((152 + 157) ÷ 2) = 9.7 %

Events are planned up to `HORIZON`; those after the day of loading are dropped, so the rows up
to that day never depend on it. Rows are bulk-inserted (system data, not user actions) and the
load is summarised in one audit entry.
"""

import datetime as dt
import random
from collections import deque
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.demo import PEOPLE
from chuangkou.core.validators import id_check_digit
from chuangkou.demo import DEMO_REGION_CODE

from .models import (
    Assignment,
    BusinessCategory,
    Center,
    Department,
    Region,
    Separation,
    Staff,
    Window,
)

SEED = 2018
HORIZON = dt.date(2030, 12, 31)
PAY_REFORM = dt.date(2018, 2, 6)  # 2018 年 2 月初出台临编人员薪酬和绩效考核办法

MAIN_CENTER = "下城区行政服务中心"
# The streets of the former 下城区; the larger four have a fourth window (个体工商户登记).
STREETS = ["潮鸣", "天水", "武林", "长庆", "朝晖", "文晖", "石桥", "东新"]
LARGE_STREETS = {"潮鸣", "武林", "石桥", "东新"}

# 五大类 business categories, in display order.
CATEGORIES = ["商事登记类", "不动产登记类", "社会事务类", "公安交警类", "税费缴纳类"]

# (code, name, category) of the departments stationed in the hall (进驻部门).
DEPARTMENTS = [
    ("BDC", "不动产登记", "不动产登记类"),
    ("ZJ", "住建", "不动产登记类"),
    ("SJ", "市场监管", "商事登记类"),
    ("WJ", "卫健", "商事登记类"),
    ("CG", "城管", "商事登记类"),
    ("RS", "人力社保", "社会事务类"),
    ("YB", "医保", "社会事务类"),
    ("GJJ", "公积金", "社会事务类"),
    ("MZ", "民政", "社会事务类"),
    ("CL", "残联", "社会事务类"),
    ("JJ", "公安交警", "公安交警类"),
    ("HJ", "公安户籍出入境", "公安交警类"),
    ("SW", "税务", "税费缴纳类"),
]

# Main center halls: letter -> [(department code, window name, how many, extra categories)].
MAIN_HALLS = {
    "A": [
        ("BDC", "不动产登记综合窗口", 6, ()),
        ("BDC", "不动产抵押登记窗口", 2, ()),
        ("BDC", "不动产查询窗口", 1, ()),
        ("BDC", "不动产领证窗口", 1, ()),
        ("ZJ", "房产交易备案窗口", 2, ()),
    ],
    "B": [
        ("SJ", "企业登记窗口", 4, ()),
        ("SJ", "个体工商户登记窗口", 2, ()),
        ("SJ", "食品经营许可窗口", 2, ()),
        ("WJ", "公共场所卫生许可窗口", 1, ()),
        ("WJ", "医疗机构执业登记窗口", 1, ()),
        ("CG", "城管审批窗口", 2, ()),
    ],
    "C": [
        ("RS", "人力社保综合窗口", 4, ()),
        ("YB", "医保综合窗口", 3, ()),
        ("GJJ", "公积金业务窗口", 3, ("税费缴纳类",)),
        ("MZ", "民政综合窗口", 2, ()),
        ("CL", "残疾人服务窗口", 1, ()),
        ("WJ", "生育登记窗口", 1, ("社会事务类",)),
    ],
    "D": [
        ("JJ", "交通违法处理窗口", 4, ()),
        ("JJ", "驾驶证业务窗口", 1, ()),
        ("JJ", "机动车业务窗口", 1, ()),
        ("HJ", "户籍业务窗口", 2, ("社会事务类",)),
        ("HJ", "出入境业务窗口", 2, ()),
    ],
    "E": [
        ("SW", "综合办税窗口", 6, ()),
        ("SW", "发票领用窗口", 2, ()),
        ("SW", "存量房交易税费窗口", 2, ("不动产登记类",)),
    ],
}
# Windows of each street's 便民服务中心: (number, department code, name).
SUB_WINDOWS = [
    ("01", "RS", "人力社保综合进件窗口"),
    ("02", "MZ", "民政残联综合窗口"),
    ("03", "YB", "医保综合窗口"),
    ("04", "SJ", "个体工商户登记窗口"),
]
BUSY_DEPARTMENTS = {"BDC", "JJ", "SW"}  # 日均受理量居全市前三: more staff per window


@dataclass(frozen=True)
class Segment:
    start: dt.date
    end: dt.date
    hires: int
    separations: int


def _years(plan: dict[int, tuple[int, int]]) -> list[Segment]:
    return [Segment(dt.date(y, 1, 1), dt.date(y, 12, 31), h, s) for y, (h, s) in plan.items()]


REGULAR = Staff.EmploymentType.REGULAR
TEMPORARY = Staff.EmploymentType.TEMPORARY
AGENCY = Staff.EmploymentType.AGENCY

# Staff in post on 2015-12-31: employment type -> (headcount, first and last hire year).
INITIAL = {TEMPORARY: (140, 2011, 2015), REGULAR: (61, 2008, 2015), AGENCY: (30, 2013, 2015)}

# Hires and separations from 2016 on. Temporary headcount at the end of each day:
# 2015-12-31 140, 2016-12-31 150, 2017-06-30 152, 2017-12-31 154, 2018-06-30 157, 2018-12-31 156.
PLANS: dict[str, list[Segment]] = {
    TEMPORARY: [
        Segment(dt.date(2016, 1, 1), dt.date(2016, 12, 31), 38, 28),
        Segment(dt.date(2017, 1, 1), dt.date(2017, 6, 30), 20, 18),
        Segment(dt.date(2017, 7, 1), dt.date(2017, 12, 31), 12, 10),
        Segment(dt.date(2018, 1, 1), PAY_REFORM - dt.timedelta(days=1), 2, 3),
        Segment(PAY_REFORM, dt.date(2018, 6, 30), 6, 2),
        Segment(dt.date(2018, 7, 1), dt.date(2018, 12, 31), 5, 6),
        *_years(
            {
                2019: (10, 9),
                2020: (7, 6),
                2021: (9, 10),
                2022: (8, 7),
                2023: (9, 9),
                2024: (8, 8),
                2025: (9, 8),
                2026: (8, 9),
                2027: (8, 8),
                2028: (8, 8),
                2029: (8, 8),
                2030: (8, 8),
            }
        ),
    ],
    REGULAR: _years(
        {
            2016: (2, 2),
            2017: (2, 2),
            2018: (1, 1),
            2019: (2, 2),
            2020: (1, 1),
            2021: (2, 2),
            2022: (2, 2),
            2023: (1, 2),
            2024: (2, 1),
            2025: (2, 2),
            2026: (2, 2),
            2027: (2, 2),
            2028: (2, 2),
            2029: (2, 2),
            2030: (2, 2),
        }
    ),
    AGENCY: _years(
        {
            2016: (6, 4),
            2017: (6, 5),
            2018: (5, 3),
            2019: (4, 4),
            2020: (3, 3),
            2021: (4, 4),
            2022: (4, 3),
            2023: (3, 4),
            2024: (4, 4),
            2025: (4, 4),
            2026: (4, 4),
            2027: (4, 4),
            2028: (4, 4),
            2029: (4, 4),
            2030: (4, 4),
        }
    ),
}

EXCHANGES = 20  # 阶段性进驻交流 at a sub-center in 2018
WINDOW_CHANGES = 5
EXCHANGE_DEPARTMENTS = {code for _, code, _ in SUB_WINDOWS}

R = Separation.Reason
# Why people left: 待遇低 and 压力大 dominate until the pay reform of February 2018.
REASONS_BEFORE_REFORM = {
    R.PAY: 44,
    R.PRESSURE: 32,
    R.FAMILY: 10,
    R.TRANSFER: 7,
    R.OTHER: 5,
    R.DISMISSAL: 2,
}
REASONS_AFTER_REFORM = {
    R.PAY: 12,
    R.PRESSURE: 17,
    R.FAMILY: 30,
    R.TRANSFER: 22,
    R.OTHER: 14,
    R.DISMISSAL: 5,
}
REASONS_REGULAR = {R.TRANSFER: 60, R.OTHER: 25, R.FAMILY: 15}
NOTES = {
    R.PAY: ["薪酬偏低，另谋他职", "收入难以负担房租和通勤", "去企业从事相近工作，待遇更高"],
    R.PRESSURE: ["业务量大、工作强度高", "高峰时段连续受理，身心疲惫", "群众误解多，压力较大"],
    R.FAMILY: ["照顾家中老人", "随配偶迁居外地", "生育后回归家庭"],
    R.TRANSFER: ["考取公务员", "考入事业单位", "调入其他单位"],
    R.OTHER: ["继续深造", "个人原因"],
    R.DISMISSAL: ["考核不合格，解除劳动合同"],
}

# Surnames common in Hangzhou, with rough weights.
SURNAMES = (
    "王9 陈9 张7 李6 徐6 吴6 周6 沈5 金5 朱5 杨4 刘4 黄4 胡4 蒋4 钱4 孙3 俞3 何3 陆3 方3 "
    "叶3 汪3 楼2 郑3 许3 章3 马2 姚2 傅2 邵2 赵2 潘2 应2 林2 倪2 丁2 冯2 顾2 韩2 袁2 施2 "
    "毛2 唐1 戴1 范1 程1 宋1 夏1 谢1 姜1 邱1 严1 卢1 曹1 童1 任1 骆1 虞1 葛1"
)
# Given names (名): common two-character names and single characters, by gender.
FEMALE_NAMES = (
    "晓燕 丽娟 静怡 雅琴 慧敏 佳怡 思琪 雨欣 梦瑶 晓婷 丽萍 秀芳 海燕 春燕 美玲 晓丽 文静 丹丹 "
    "莉莉 倩倩 玲玲 洁琼 晓雯 欣怡 佳琪 雅婷 诗琪 梦婷 婉婷 晓敏 晓霞 红霞 艳红 丽华 建芬 丽琴 "
    "燕萍 慧芳 雪芳 彩霞 晓红 晶晶 露露 颖颖 佳佳 珊珊 琳琳 亚萍 巧玲 蕾蕾 晨曦 雨婷 梦洁 思雨 "
    "依婷 佳敏 嘉怡 可欣 欣妍 素芬 美华 凤英 秋萍 春花 雅丽 婧雯 卓琳 晓岚 一帆 诗雨 雅楠"
).split()
FEMALE_CHARS = "婷静敏燕丽娟艳芳霞琳颖洁雪倩萍玲慧琪璐莉蕾瑶悦岚薇菁蓉莹丹红梅芬晶露妍珊"
MALE_NAMES = (
    "建华 建国 国平 志强 志刚 伟东 晓东 晓峰 海涛 海波 建军 卫东 宏伟 俊杰 子豪 宇航 家豪 振宇 "
    "文杰 文斌 立新 永强 国庆 建平 晓军 海军 卫国 鹏飞 云飞 天宇 明杰 俊峰 剑锋 志伟 建锋 晓明 "
    "明辉 智勇 嘉伟 佳豪 博文 思远 晨阳 旭东 亚军 杭生 伟民 国强 利民 学军 敏杰 少华 宇翔 一鸣"
).split()
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏飞鑫波宇浩凯健俊帆旭宁龙峰东亮成晨骏彬毅翔哲睿"
# 区划代码 of 杭州市: most staff are local to 下城区.
ID_REGIONS = {
    "330103": 55,
    "330102": 8,
    "330104": 8,
    "330105": 8,
    "330106": 6,
    "330108": 3,
    "330109": 4,
    "330110": 4,
    "330122": 1,
    "330127": 1,
    "330182": 1,
    "330183": 1,
}
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "180", "181", "182", "183", "186", "187", "188", "189",
]  # fmt: skip
ODD, EVEN = (1, 3, 5, 7, 9), (0, 2, 4, 6, 8)
FEMALE_SHARE = {TEMPORARY: 0.72, AGENCY: 0.68, REGULAR: 0.58}
BIRTH_YEARS = {TEMPORARY: (1975, 1998), AGENCY: (1972, 1998), REGULAR: (1965, 1990)}


@dataclass(frozen=True)
class WindowSpec:
    center: str
    number: str
    name: str
    department: str
    categories: tuple[str, ...]
    weight: float

    @property
    def at_main(self) -> bool:
        return self.center == MAIN_CENTER


@dataclass
class Posting:
    window: WindowSpec | None
    center: str
    start: dt.date
    end: dt.date | None = None
    kind: str = Assignment.Kind.REGULAR
    note: str = ""


@dataclass
class Person:
    seq: int
    employment_type: str
    gender: str
    name: str
    id_number: str
    phone: str
    hire: dt.date
    window: WindowSpec
    postings: list[Posting] = field(default_factory=list)
    left: dt.date | None = None
    reason: str = ""
    note: str = ""
    account: str = ""


def _sub_center_name(street: str) -> str:
    return f"{street}街道便民服务中心"


def window_specs() -> list[WindowSpec]:
    category = {code: cat for code, _, cat in DEPARTMENTS}
    specs = []
    for letter, rows in MAIN_HALLS.items():
        n = 0
        for code, name, count, extra in rows:
            for _ in range(count):
                n += 1
                weight = 4.0 if code in BUSY_DEPARTMENTS else 3.0
                cats = (category[code], *extra)
                specs.append(WindowSpec(MAIN_CENTER, f"{letter}{n:02d}", name, code, cats, weight))
    for street in STREETS:
        for number, code, name in SUB_WINDOWS:
            if number == "04" and street not in LARGE_STREETS:
                continue
            center = _sub_center_name(street)
            specs.append(WindowSpec(center, number, name, code, (category[code],), 1.5))
    return specs


class _Planner:
    """Draws the people and their history; touches no database."""

    def __init__(self, rng: random.Random, windows: list[WindowSpec], reserved: set[str]):
        self.rng = rng
        self.windows = windows
        self.weights = [w.weight for w in windows]
        self.used_names = set(reserved)
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()
        self.people: list[Person] = []
        self.pools: dict[str, list[Person]] = {t: [] for t in INITIAL}
        self.vacancies: deque[WindowSpec] = deque()
        self.surnames = [s[0] for s in SURNAMES.split()]
        self.surname_weights = [int(s[1:]) for s in SURNAMES.split()]

    # -- attributes -------------------------------------------------------------------------

    def day_between(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A working day (Mon-Fri) in [lo, hi]."""
        day = lo + dt.timedelta(days=self.rng.randint(0, (hi - lo).days))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        while day > hi or day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return day

    def name(self, gender: str) -> str:
        rng = self.rng
        chars, names = (FEMALE_CHARS, FEMALE_NAMES) if gender == "F" else (MALE_CHARS, MALE_NAMES)
        while True:
            surname = rng.choices(self.surnames, self.surname_weights)[0]
            given = rng.choice(chars) if rng.random() < 0.35 else rng.choice(names)
            name = surname + given
            if surname not in given and name not in self.used_names:
                self.used_names.add(name)
                return name

    def id_number(self, gender: str, birth: dt.date) -> str:
        rng = self.rng
        while True:
            region = rng.choices(list(ID_REGIONS), list(ID_REGIONS.values()))[0]
            # 顺序码: its last digit is odd for men, even for women
            order = rng.randint(0, 99) * 10 + rng.choice(ODD if gender == "M" else EVEN)
            first17 = f"{region}{birth:%Y%m%d}{order:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99_999_999):08d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def hire(self, employment_type: str, day: dt.date, window: WindowSpec) -> Person:
        rng = self.rng
        gender = "F" if rng.random() < FEMALE_SHARE[employment_type] else "M"
        lo, hi = BIRTH_YEARS[employment_type]
        hi = min(hi, day.year - 21)
        lo = min(max(lo, day.year - 48), hi)
        # younger people are likelier among new hires
        year = hi - int((hi - lo + 1) * rng.random() ** 1.6)
        birth = dt.date(max(year, lo), 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        person = Person(
            seq=len(self.people),
            employment_type=employment_type,
            gender=gender,
            name=self.name(gender),
            id_number=self.id_number(gender, birth),
            phone=self.phone(),
            hire=day,
            window=window,
        )
        person.postings.append(Posting(window, window.center, day, note="入职"))
        self.people.append(person)
        self.pools[employment_type].append(person)
        return person

    def separate(self, employment_type: str, day: dt.date) -> None:
        rng = self.rng
        pool = [p for p in self.pools[employment_type] if p.hire <= day - dt.timedelta(days=30)]
        # people leave more often in their first years
        weights = [1 / (1 + (day - p.hire).days / 365) for p in pool]
        person = rng.choices(pool, weights)[0]
        self.pools[employment_type].remove(person)
        if employment_type == REGULAR:
            reasons = REASONS_REGULAR
        elif day < PAY_REFORM:
            reasons = REASONS_BEFORE_REFORM
        else:
            reasons = REASONS_AFTER_REFORM
        reason = rng.choices(list(reasons), list(reasons.values()))[0]
        note = rng.choice(NOTES[reason])
        if employment_type == REGULAR and reason == R.OTHER:
            born = int(person.id_number[6:10])
            note = "退休" if day.year - born >= 55 else "借调至区级机关"
        person.left, person.reason, person.note = day, reason, note
        person.postings[-1].end = day
        self.vacancies.append(person.window)

    def window_for_hire(self) -> WindowSpec:
        if self.vacancies:
            return self.vacancies.popleft()
        return self.rng.choices(self.windows, self.weights)[0]

    # -- history ----------------------------------------------------------------------------

    def initial_staff(self) -> None:
        """Those in post on 2015-12-31; every window gets someone first."""
        types = [t for t, (count, _, _) in INITIAL.items() for _ in range(count)]
        self.rng.shuffle(types)
        windows = list(self.windows)
        self.rng.shuffle(windows)
        for i, employment_type in enumerate(types):
            _, first, last = INITIAL[employment_type]
            years = list(range(first, last + 1))
            year = self.rng.choices(years, [1 + 0.5 * k for k in range(len(years))])[0]
            day = self.day_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
            window = windows[i] if i < len(windows) else self.window_for_hire()
            self.hire(employment_type, day, window)

    def history(self) -> None:
        """Hires and separations from 2016 on, in date order (hires first within a day)."""
        events = []
        for employment_type, segments in PLANS.items():
            for segment in segments:
                for kind, count in ((0, segment.hires), (1, segment.separations)):
                    for _ in range(count):
                        day = self.day_between(segment.start, segment.end)
                        events.append((day, kind, len(events), employment_type))
        for day, kind, _, employment_type in sorted(events):
            if kind == 0:
                self.hire(employment_type, day, self.window_for_hire())
            else:
                self.separate(employment_type, day)

    def exchanges(self) -> None:
        """阶段性进驻交流: main-center staff spend 1-3 months at a sub-center in 2018."""
        rng = self.rng
        sub_windows = [w for w in self.windows if not w.at_main]
        candidates = [
            p
            for p in self.people
            if p.window.at_main
            and p.window.department in EXCHANGE_DEPARTMENTS
            and p.hire < dt.date(2018, 1, 1)
            and (p.left is None or p.left > dt.date(2018, 12, 31))
        ]
        for person in rng.sample(candidates, EXCHANGES):
            start = self.day_between(dt.date(2018, 3, 1), dt.date(2018, 9, 28))
            months = rng.choice((1, 2, 3))
            end = start.replace(month=start.month + months, day=min(start.day, 28))
            end -= dt.timedelta(days=1)
            department = person.window.department
            window = rng.choice([w for w in sub_windows if w.department == department])
            person.postings.append(
                Posting(
                    window,
                    window.center,
                    start,
                    end,
                    kind=Assignment.Kind.EXCHANGE,
                    note=f"阶段性进驻交流 {months} 个月",
                )
            )

    def window_changes(self) -> None:
        """调岗: a few long-serving staff move to another window of their department."""
        rng = self.rng
        candidates = [
            p
            for p in self.people
            if p.left is None
            and p.window.at_main
            and p.hire < dt.date(2018, 1, 1)
            and len(p.postings) == 1
            and self._other_windows(p)
        ]
        for person in rng.sample(candidates, WINDOW_CHANGES):
            day = self.day_between(dt.date(2019, 1, 1), dt.date(2023, 12, 31))
            window = rng.choice(self._other_windows(person))
            person.postings[-1].end = day - dt.timedelta(days=1)
            person.postings.append(Posting(window, window.center, day, note="调整窗口"))
            person.window = window

    def _other_windows(self, person: Person) -> list[WindowSpec]:
        return [
            w
            for w in self.windows
            if w.at_main and w.department == person.window.department and w != person.window
        ]

    def link_accounts(self) -> None:
        """clerk01/clerk02: temporary staff at main-center windows; lobby01: regular staff."""
        for username, employment_type in (
            ("clerk01", TEMPORARY),
            ("clerk02", TEMPORARY),
            ("lobby01", REGULAR),
        ):
            name, gender = PEOPLE[username]
            candidates = [
                p
                for p in self.people
                if p.employment_type == employment_type
                and p.gender == gender
                and p.left is None
                and p.window.at_main
                and p.hire < dt.date(2018, 1, 1)
                and not p.account
            ]
            person = self.rng.choice(candidates)
            person.name, person.account = name, username


def plan(windows: list[WindowSpec]) -> list[Person]:
    """Everyone who worked at a window from 2016 to HORIZON, in hiring order."""
    planner = _Planner(random.Random(SEED), windows, {name for name, _ in PEOPLE.values()})
    planner.initial_staff()
    planner.history()
    planner.exchanges()
    planner.window_changes()
    planner.link_accounts()
    return sorted(planner.people, key=lambda p: (p.hire, p.seq))


def load() -> None:
    today = timezone.localdate()
    region = Region.objects.create(code=DEMO_REGION_CODE, name="下城区", city="杭州市")
    main = Center.objects.create(
        region=region, name=MAIN_CENTER, kind=Center.Kind.MAIN, address="杭州市下城区"
    )
    centers = {MAIN_CENTER: main}
    for street in STREETS:
        name = _sub_center_name(street)
        centers[name] = Center.objects.create(
            region=region,
            name=name,
            kind=Center.Kind.SUB,
            parent=main,
            address=f"杭州市下城区{street}街道",
        )
    categories = {
        name: BusinessCategory.objects.get_or_create(name=name, defaults={"order": i + 1})[0]
        for i, name in enumerate(CATEGORIES)
    }
    departments = {
        code: Department.objects.create(region=region, code=code, name=name)
        for code, name, _ in DEPARTMENTS
    }

    specs = window_specs()
    windows = dict(
        zip(
            specs,
            Window.objects.bulk_create(
                Window(
                    center=centers[s.center],
                    number=s.number,
                    name=s.name,
                    department=departments[s.department],
                )
                for s in specs
            ),
            strict=True,
        )
    )
    Through = Window.categories.through
    Through.objects.bulk_create(
        Through(window_id=windows[s].pk, businesscategory_id=categories[c].pk)
        for s in specs
        for c in s.categories
    )

    people = plan(specs)
    category_of = {code: categories[cat] for code, _, cat in DEPARTMENTS}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=PEOPLE)}
    staff_rows = []
    for number, person in enumerate(people, start=1):
        if person.hire > today:
            break
        gone = person.left is not None and person.left <= today
        staff_rows.append(
            Staff(
                staff_no=f"CK{number:05d}",
                name=person.name,
                gender=person.gender,
                employment_type=person.employment_type,
                category=category_of[person.window.department],
                department=departments[person.window.department],
                center=centers[person.window.center],
                window=None if gone else windows[person.window],
                hire_date=person.hire,
                phone=person.phone,
                id_number=person.id_number,
                status=Staff.Status.LEFT if gone else Staff.Status.ACTIVE,
                user=users.get(person.account),
            )
        )
    staff_rows = Staff.objects.bulk_create(staff_rows)
    if any(s.pk is None for s in staff_rows):  # databases that return no ids from bulk inserts
        ids = dict(Staff.objects.values_list("staff_no", "pk"))
        for s in staff_rows:
            s.pk = ids[s.staff_no]

    assignments, separations = [], []
    for person, staff in zip(people, staff_rows, strict=False):
        for posting in person.postings:
            if posting.start > today:
                continue
            end = posting.end if posting.end is not None and posting.end <= today else None
            assignments.append(
                Assignment(
                    staff=staff,
                    center=centers[posting.center],
                    window=windows[posting.window] if posting.window else None,
                    kind=posting.kind,
                    start_date=posting.start,
                    end_date=end,
                    note=posting.note,
                )
            )
        if staff.status == Staff.Status.LEFT:
            separations.append(
                Separation(staff=staff, date=person.left, reason=person.reason, note=person.note)
            )
    Assignment.objects.bulk_create(assignments)
    Separation.objects.bulk_create(separations)
    if "depthead01" in users:
        departments["BDC"].heads.add(users["depthead01"])

    audit.record(
        actor=None,
        action="demo.load",
        object_type="org",
        after={
            "region": str(region),
            "centers": len(centers),
            "departments": len(departments),
            "windows": len(windows),
            "staff": len(staff_rows),
            "in_post": sum(s.status != Staff.Status.LEFT for s in staff_rows),
            "assignments": len(assignments),
            "separations": len(separations),
        },
    )
