"""The demo catalog: realistic, valid by the services' own rules, deterministic and fast."""

import time
from collections import Counter

import pytest

from chuangkou.catalog import demo, selectors
from chuangkou.catalog.models import Bundle, BundleItem, Material, Matter
from chuangkou.catalog.services.cleaning import clean_materials, clean_matter_fields
from chuangkou.catalog.text import index_tokens
from chuangkou.core import demo as core_demo
from chuangkou.core.models import AuditEntry
from chuangkou.demo import APP_DEMOS
from chuangkou.org import demo as org_demo

from ..factories import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


def fingerprint() -> list:
    return [
        (
            m.code,
            m.name,
            m.department.name,
            m.kind,
            m.promised_days,
            m.max_visits,
            m.online,
            m.fee,
            [(x.name, x.requirement, x.form, x.copies, x.condition) for x in m.materials.all()],
        )
        for m in Matter.objects.order_by("code")
        .select_related("department")
        .prefetch_related("materials")
    ] + [
        (b.code, b.name, [i.matter.code for i in b.items.order_by("order")])
        for b in Bundle.objects.order_by("code")
    ]


@pytest.fixture
def district(db):
    """The demos the catalog's relies on (accounts; region 330103 and its departments), then
    the catalog's own, timed."""
    core_demo.load()
    org_demo.load()
    index_tokens("预热")  # jieba's dictionary loads once per process (about a second)
    started = time.perf_counter()
    demo.load()
    return time.perf_counter() - started


@pytest.fixture
def departments(db):
    """Only the org demo's departments (faster than the whole org demo)."""
    region = RegionFactory(code="330103")
    for code, name, _category in org_demo.DEPARTMENTS:
        DepartmentFactory(region=region, code=code, name=name)
    demo.load()


def test_the_district_catalog(district):
    assert district < 2, f"the catalog demo took {district:.2f} s"
    matters = Matter.objects.select_related("department")
    assert 75 <= matters.count() <= 95
    per_department = Counter(m.department.name for m in matters)
    for name in [
        "不动产登记",
        "公安交警",
        "人力社保",
        "市场监管",
        "税务",
        "公积金",
        "医保",
        "民政",
    ]:
        assert per_department[name] >= 5, name
    assert matters.get(code="330103-BDC-001").name == "不动产转移登记（二手房买卖）"
    visits = Counter(m.max_visits for m in matters)
    assert visits[0] + visits[1] >= 0.9 * matters.count() and visits[2] >= 1
    assert all(0 <= m.promised_days <= 20 for m in matters)
    materials = Counter(Material.objects.values_list("matter_id", flat=True))
    assert all(3 <= n <= 8 for n in materials.values())
    assert len(materials) == matters.count()
    assert all(m.search_text.strip() for m in matters)
    entry = AuditEntry.objects.get(action="catalog.demo")
    assert entry.after == {"matters": matters.count(), "bundles": 8}


def test_bundles_share_materials(departments):
    bundles = Bundle.objects.all()
    assert bundles.count() == 8
    for bundle in bundles:
        guide = selectors.bundle_guide(bundle)
        assert len(guide.matters) >= 2
        assert len(guide.materials) < guide.asked_materials, bundle.name  # something is shared
    company = selectors.bundle_guide(bundles.get(name="企业开办一件事"))
    # the later matters ask for the business licence, which 设立登记 (2nd) issues: not asked
    assert "营业执照（副本）" not in [m.name for m in company.materials]
    assert [(name, issuer.name, n) for name, issuer, n in company.produced] == [
        ("营业执照（副本）", "有限责任公司设立登记", 2)
    ]


def test_demo_search_finds_what_people_ask_for(departments):
    assert selectors.search_matters("结婚登记").first().name == "结婚登记"
    assert selectors.search_matters("驾照换证").first().name == "机动车驾驶证换证"
    assert "住房公积金提取（购房）" in [m.name for m in selectors.search_matters("公积金 购房")]


def test_the_catalog_demo_comes_after_org_and_before_its_users():
    order = APP_DEMOS.index
    assert order("chuangkou.org.demo") < order("chuangkou.catalog.demo")
    for user in ("chuangkou.hall.demo", "chuangkou.cases.demo"):
        if user in APP_DEMOS:
            assert order("chuangkou.catalog.demo") < order(user)


def test_every_demo_matter_passes_the_services_rules():
    for plan in demo.PLAN:
        for spec in plan.matters:
            clean_matter_fields({"name": spec.name, "promised_days": spec.days})
            clean_materials(
                [
                    {
                        "name": m.name,
                        "requirement": m.requirement,
                        "form": m.form,
                        "copies": m.copies,
                    }
                    for m in spec.materials
                ]
            )


def test_loading_is_deterministic_and_once(departments):
    first = fingerprint()
    demo.load()  # already there: nothing happens
    assert fingerprint() == first
    BundleItem.objects.all().delete()
    Bundle.objects.all().delete()
    Matter.objects.all().delete()
    demo.load()
    assert fingerprint() == first


def test_missing_departments_are_skipped_with_their_bundles(db):
    region = RegionFactory(code="330103")
    DepartmentFactory(region=region, code="SJ", name="市场监管")
    DepartmentFactory(region=region, code="SW", name="税务")
    demo.load()
    assert {m.code.split("-")[1] for m in Matter.objects.all()} == {"SJ", "SW"}
    assert list(Bundle.objects.values_list("name", flat=True)) == ["企业注销一件事"]
