"""Benchmark of 1call answer suggestions: BM25 over jieba words with the colloquial synonym list
(consult.search) beside the plain substring search one would write first (the raw question
inside a matter name, a material name or an earlier question), over 5,000 matters and 200,000
earlier answered consultations: p50/p99 time of one suggestion, and relevance on 50 test
questions with their expected matter (hits in the top 3).

    .venv/bin/python bench/consult_suggest.py [--small] [--pg] [--runs N]

The script makes its own database (a temporary SQLite file, or with --pg a PostgreSQL database
of its own on BENCH_PG_URL), generates the catalog as bench/catalog_search.py does, then the
consultations from question and answer templates (their words cut once per template and matter,
as the service does once per answer), and drops what it made. --small: 500 matters, 20,000
consultations.
"""

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog_search import PG_URL, admin_sql, generate, setup_django  # noqa: E402

QUESTIONS = [
    "办理{m}需要带哪些材料？",
    "{m}可以网上办吗",
    "请问{m}多久能办好",
    "{m}要本人去吗，能代办吗",
    "我想问一下{m}的流程",
]
ANSWER = "您好！办理“{m}”需准备：{materials}。材料齐全可一次办好。"

# 50 test questions as people ask them, with the matter they are about
TESTS = [
    ("房产证丢了怎么补办", "不动产权证书补证换证"),
    ("买二手房过户要带什么", "不动产转移登记（二手房买卖）"),
    ("新房子怎么办房产证", "不动产转移登记（新建商品房）"),
    ("房贷还清了怎么解押", "不动产抵押权注销登记"),
    ("房子继承怎么过户", "不动产转移登记（继承、受遗赠）"),
    ("查一下我名下有几套房", "不动产登记资料查询"),
    ("驾照快到期了怎么换", "机动车驾驶证换证"),
    ("驾照丢了怎么补", "机动车驾驶证补证"),
    ("二手车过户要什么材料", "机动车转移登记（二手车过户）"),
    ("新车上牌照怎么办", "机动车注册登记"),
    ("车子年检标志怎么领", "机动车检验标志核发"),
    ("违章在窗口怎么处理", "交通违法处理（窗口）"),
    ("社保卡怎么办", "社会保障卡申领"),
    ("失业了能领失业金吗", "失业保险金申领"),
    ("退休了养老金怎么申请", "基本养老金申领（退休）"),
    ("自由职业怎么交社保", "灵活就业人员参保登记"),
    ("工伤认定要什么材料", "工伤认定申请"),
    ("打印社保缴费记录", "社会保险个人权益记录查询打印"),
    ("养老保险从外地转过来", "企业职工养老保险关系转移接续"),
    ("开个小饭店要办什么证", "食品经营许可证核发"),
    ("开公司怎么注册", "有限责任公司设立登记"),
    ("开个体户需要什么", "个体工商户设立登记"),
    ("个体户不做了怎么注销", "个体工商户注销登记"),
    ("公司改名字怎么办", "企业变更登记（名称、住所、经营范围）"),
    ("公司注销流程", "企业注销登记"),
    ("开药店要什么许可", "药品零售企业许可"),
    ("公司名称怎么核名", "企业名称自主申报"),
    ("二手房交税怎么申报", "存量房交易税费申报"),
    ("新公司怎么领发票", "发票领用"),
    ("个税汇算怎么弄", "个人所得税综合所得汇算清缴"),
    ("买新房交契税", "契税申报（新建商品房）"),
    ("租房可以提取公积金吗", "住房公积金提取（租房）"),
    ("买房提取公积金", "住房公积金提取（购房）"),
    ("公积金贷款怎么申请", "住房公积金个人住房贷款"),
    ("公积金从外地转进来", "住房公积金异地转移接续"),
    ("在外地看病怎么备案", "异地就医备案"),
    ("刚生的宝宝怎么交医保", "新生儿参保登记"),
    ("生孩子的医药费怎么报销", "生育医疗费用报销"),
    ("领结婚证要带什么", "结婚登记"),
    ("结婚证丢了怎么补", "补领婚姻登记证"),
    ("离婚手续怎么办", "离婚登记"),
    ("怎么申请低保", "最低生活保障申请"),
    ("老人的高龄补贴怎么领", "高龄津贴申领"),
    ("出生证明丢了能补吗", "出生医学证明补发"),
    ("准生证怎么办", "生育登记"),
    ("小孩上户口要带什么", "出生登记（户口申报）"),
    ("身份证怎么办理", "居民身份证申领"),
    ("办港澳通行证", "往来港澳通行证及签注"),
    ("残疾证怎么申请", "残疾人证核发"),
    ("老小区装电梯要备案吗", "城镇老旧小区住宅加装电梯备案"),
]


def generate_consultations(count: int) -> None:
    from chuangkou.catalog.models import Matter
    from chuangkou.consult.models import Consultation
    from chuangkou.consult.search import words
    from chuangkou.org.models import Center, Department, Region, Staff

    rng = random.Random(2018)
    region = Region.objects.get(code="999999")
    center = Center.objects.create(region=region, name="基准中心", kind="main")
    agent = Staff.objects.create(
        staff_no="BENCH-1",
        name="坐席",
        gender="F",
        employment_type="temporary",
        department=Department.objects.order_by("pk").first(),
        center=center,
        hire_date=dt.date(2018, 1, 1),
    )
    matters = list(Matter.objects.prefetch_related("materials").order_by("pk"))
    template_words = [words(q.replace("{m}", " ")) for q in QUESTIONS]
    answer_words = words(ANSWER.replace("{m}", " ").replace("{materials}", " "))
    matter_words = {}
    at = dt.datetime(2018, 6, 1, 9, tzinfo=dt.UTC)
    rows = []
    for n in range(count):
        m = matters[n % len(matters)] if n % 7 else rng.choice(matters)
        t = rng.randrange(len(QUESTIONS))
        if m.pk not in matter_words:
            names = [x.name for x in m.materials.all()]
            matter_words[m.pk] = (words(m.name), words(" ".join(names)), "、".join(names))
        name_words, material_words, material_text = matter_words[m.pk]
        tokens = dict.fromkeys(template_words[t] + name_words + answer_words + material_words)
        rows.append(
            Consultation(
                code=f"B{n:09d}",
                center=center,
                matter=m,
                question=QUESTIONS[t].format(m=m.name),
                phone="13800000000",
                status="closed",
                agent=agent,
                created_at=at,
                first_reply_at=at,
                closed_at=at,
                first_reply_due=at,
                resolve_due=at,
                answer=ANSWER.format(m=m.name, materials=material_text),
                search_tokens=f" {' '.join(tokens)} ",
            )
        )
        if len(rows) == 5000:
            Consultation.objects.bulk_create(rows)
            rows = []
    Consultation.objects.bulk_create(rows)


def baseline(question: str) -> tuple[list, list]:
    """The raw question as a substring of matter names, material names, earlier questions."""
    from django.db.models import Q

    from chuangkou.catalog.models import Matter
    from chuangkou.consult.models import Consultation

    q = question.strip()
    guide = list(
        Matter.objects.filter(Q(name__icontains=q) | Q(materials__name__icontains=q))
        .distinct()
        .order_by("code")
        .values_list("name", flat=True)[:5]
    )
    answers = list(
        Consultation.objects.filter(question__icontains=q)
        .order_by("-id")
        .values_list("matter__name", flat=True)[:5]
    )
    return guide, answers


def app(question: str) -> tuple[list, list]:
    from chuangkou.catalog.models import Matter
    from chuangkou.consult import search

    guide, answers = search.suggest(question, limit=5)
    ids = {h.doc.matter_id for h in guide + answers if h.doc.matter_id}
    names = dict(Matter.objects.filter(pk__in=ids).values_list("pk", "name"))
    return (
        [names.get(h.doc.matter_id, h.doc.title) for h in guide],
        [names.get(h.doc.matter_id, "") for h in answers],
    )


def hit(names: list, expected: str) -> bool:
    return any((n or "").startswith(expected) for n in names[:3])


MISSES: list[str] = []


def measure(fn, runs: int) -> tuple[list[float], int, int]:
    times, guide_hits, answer_hits = [], 0, 0
    MISSES.clear()
    for question, expected in TESTS:
        for _ in range(runs):
            started = time.perf_counter()
            guide, answers = fn(question)
            times.append((time.perf_counter() - started) * 1000)
        guide_hits += hit(guide, expected)
        answer_hits += hit(answers, expected)
        if not hit(guide, expected):
            MISSES.append(f"{question} → {expected}: {guide[:3]}")
    return times, guide_hits, answer_hits


def pct(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="500 matters, 20,000 consultations")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--misses", action="store_true", help="list the guide misses")
    args = parser.parse_args()
    matters, consultations = (500, 20_000) if args.small else (5_000, 200_000)
    data_dir = tempfile.mkdtemp(prefix="bench-consult-")
    db_name = f"bench_consult_{uuid.uuid4().hex[:8]}"
    db_url = None
    if args.pg:
        admin_sql(f'CREATE DATABASE "{db_name}"')
        db_url = PG_URL.rsplit("/", 1)[0] + f"/{db_name}"
    try:
        setup_django(db_url, data_dir)
        started = time.perf_counter()
        generate(matters)
        generate_consultations(consultations)
        print(
            f"生成 {matters:,} 个事项、{consultations:,} 条已答复咨询：",
            f"{time.perf_counter() - started:.0f} s",
        )
        from chuangkou.consult import search

        started = time.perf_counter()
        search.suggest("预热")
        print(
            f"建立索引（每个进程一次，之后按新答复增量更新）：{time.perf_counter() - started:.1f} s"
        )
        app_times, app_guide, app_answers = measure(app, args.runs)
        if args.misses:
            print("\n".join(MISSES))
        base_times, base_guide, base_answers = measure(baseline, args.runs)
        from chuangkou.demo import format_table

        rows = [
            [
                "BM25 分词+同义词",
                f"{pct(app_times, 0.5):.1f}",
                f"{pct(app_times, 0.99):.1f}",
                f"{app_guide}/50",
                f"{app_answers}/50",
            ],
            [
                "子串基线",
                f"{pct(base_times, 0.5):.1f}",
                f"{pct(base_times, 0.99):.1f}",
                f"{base_guide}/50",
                f"{base_answers}/50",
            ],
        ]
        db = "PostgreSQL" if args.pg else "SQLite"
        print(f"\n{db}，每个测试问题 {args.runs} 次（毫秒）；前 3 条命中预期事项的问题数")
        headers = ["方法", "p50 ms", "p99 ms", "指南命中@3", "历史答复命中@3"]
        print(format_table(headers, rows))
    finally:
        if args.pg:
            from django.db import connections

            connections.close_all()
            admin_sql(f'DROP DATABASE IF EXISTS "{db_name}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
