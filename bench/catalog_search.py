"""Benchmark of the catalog: the public guide search (jieba words, AND then OR, ranked) beside
the search one would write first (the raw query as a substring of the name or of a material
name), and the Excel export and import of the whole catalog beside reading the same file only.

    /work/venv/bin/python bench/catalog_search.py [--small | --full] [--pg] [--runs N]

The script makes its own database (a temporary SQLite file, or with --pg a PostgreSQL database
of its own on BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres), generates a
catalog of N matters with 3–8 materials each from the demo's names (default 5,000 matters;
--small 500; --full 50,000, a province), prints per query the median time of --runs runs and the
number of matters found by each method, and the ratio app ÷ baseline; then drops what it made.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
QUERIES = [
    "结婚登记",
    "身份证",
    "公积金 购房",
    "营业执照 食品",
    "二手房过户",
    "驾照",
    "我要办理个体工商户需要什么材料",
    "不动产抵押",
    "社保卡",
    "宠物狗",
]


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(sql)


def setup_django(db_url: str | None, data_dir: str) -> None:
    os.environ.update(CHUANGKOU_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="chuangkou.settings")
    if db_url:
        os.environ["DATABASE_URL"] = db_url
    else:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def generate(matters: int) -> None:
    """N matters spread over the demo's departments, named after the demo's matters."""
    from chuangkou.catalog import demo
    from chuangkou.catalog.models import Material, Matter
    from chuangkou.catalog.text import index_tokens
    from chuangkou.org.models import Department, Region

    rng = random.Random(2018)
    region = Region.objects.create(code="999999", name="基准区", city="基准市")
    departments = {
        plan.name: Department.objects.create(region=region, code=f"B{i:02d}", name=plan.name)
        for i, plan in enumerate(demo.PLAN)
    }
    specs = [(plan.name, spec) for plan in demo.PLAN for spec in plan.matters]
    material_names = sorted({m.name for _, spec in specs for m in spec.materials})
    rows, materials = [], []
    for n in range(matters):
        department, spec = specs[n % len(specs)]
        names = [m.name for m in spec.materials]
        extra = rng.sample(material_names, k=max(0, rng.randint(3, 8) - len(names)))
        names = list(dict.fromkeys(names + extra))[:8]
        suffix = "" if n < len(specs) else f"（{n // len(specs)}号分中心）"
        rows.append(
            Matter(
                code=f"BENCH-{n:06d}",
                name=spec.name + suffix,
                department=departments[department],
                promised_days=spec.days,
                max_visits=spec.visits,
                online=spec.online or spec.visits == 0,
                search_text=index_tokens(spec.name + suffix, *names),
            )
        )
        materials.append(names)
    created = Matter.objects.bulk_create(rows, batch_size=2000)
    Material.objects.bulk_create(
        (
            Material(matter=m, name=name, order=i)
            for m, names in zip(created, materials, strict=True)
            for i, name in enumerate(names)
        ),
        batch_size=5000,
    )


def baseline_search(query: str):
    """The first thing one would write: the raw query inside the name or a material name."""
    from django.db.models import Q

    from chuangkou.catalog.models import Matter

    q = query.strip()
    return (
        Matter.objects.filter(is_active=True)
        .filter(Q(name__icontains=q) | Q(materials__name__icontains=q))
        .distinct()
        .order_by("code")
    )


def page_of(queryset) -> int:
    """What the guide page does: count, then the first 15 rows."""
    count = queryset.count()
    list(queryset[:15])
    return count


def timed(fn, runs: int) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def bench_search(runs: int) -> None:
    from chuangkou.catalog.selectors import search_matters
    from chuangkou.demo import format_table

    print(f"\n搜索：每个查询 {runs} 次的中位数（毫秒），及找到的事项数")
    rows, ratios = [], []
    for query in QUERIES:
        app_ms, app_n = timed(lambda q=query: page_of(search_matters(q)), runs)
        base_ms, base_n = timed(lambda q=query: page_of(baseline_search(q)), runs)
        ratios.append(app_ms / base_ms)
        rows.append(
            [
                query[:14],
                f"{app_ms:.1f}",
                str(app_n),
                f"{base_ms:.1f}",
                str(base_n),
                f"{app_ms / base_ms:.2f}",
            ]
        )
    headers = ["查询", "分词检索 ms", "找到", "子串基线 ms", "找到", "倍数"]
    print(format_table(headers, rows))
    print(f"倍数（分词检索 ÷ 子串基线）的中位数：{statistics.median(ratios):.2f}")


def bench_transfer(runs: int) -> None:
    from django.contrib.auth import get_user_model

    from chuangkou.catalog import transfer
    from chuangkou.catalog.models import Matter
    from chuangkou.core import xlsx
    from chuangkou.core.roles import Role
    from chuangkou.core.services import create_account

    admin = create_account(
        actor=None,
        username=f"bench-{uuid.uuid4().hex[:6]}",
        password="Bench#2018ok",  # noqa: S106
        roles=[Role.CENTER_ADMIN],
    )
    admin = get_user_model().objects.get(pk=admin.pk)
    export_ms, content = timed(lambda: transfer.export_catalog(Matter.objects.all()), 1)
    read_ms, _ = timed(lambda: xlsx.read_table(content, transfer.columns()), runs)
    import_ms, report = timed(
        lambda: transfer.import_catalog(actor=admin, content=content), max(1, runs // 3)
    )
    assert report.ok and report.created == 0, report.errors[:5]
    rows = report.rows
    print(f"\nExcel：{rows} 行（{report.updated} 个事项）")
    print(f"导出 {export_ms:,.0f} ms；只读取并校验 {read_ms:,.0f} ms（基线）；")
    ratio = import_ms / read_ms
    print(f"导入（校验 + 逐事项更新，无变化）{import_ms:,.0f} ms，为基线的 {ratio:.1f} 倍")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--small", action="store_true", help="500 matters")
    size.add_argument("--full", action="store_true", help="50,000 matters (a province)")
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-transfer", action="store_true", help="skip the Excel part")
    args = parser.parse_args()
    matters = 500 if args.small else 50_000 if args.full else 5_000

    with tempfile.TemporaryDirectory(prefix="ck-bench-catalog-") as data_dir:
        db_name = f"ck_bench_catalog_{uuid.uuid4().hex[:8]}"
        db_url = None
        if args.pg:
            admin_sql(f"CREATE DATABASE {db_name}")
            db_url = PG_URL.rsplit("/", 1)[0] + f"/{db_name}"
        try:
            setup_django(db_url, data_dir)
            from django.db import connection

            started = time.perf_counter()
            generate(matters)
            took = time.perf_counter() - started
            print(f"数据库：{connection.vendor}；事项 {matters:,} 个，生成用时 {took:.1f} s")
            bench_search(args.runs)
            if not args.no_transfer:
                bench_transfer(args.runs)
        finally:
            if args.pg:
                from django.db import connections

                connections.close_all()
                admin_sql(f"DROP DATABASE IF EXISTS {db_name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
