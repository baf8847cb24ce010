"""A small catalog on top of `org_small` (A 市场监管局 headed by head_a; B 人力社保局)."""

from types import SimpleNamespace

import pytest

from chuangkou.catalog.models import Material, Matter

from .factories import BundleFactory, MatterFactory

OPTIONAL = Material.Requirement.CONDITIONAL


@pytest.fixture
def catalog(org_small):
    return build_catalog(org_small)


def build_catalog(org_small) -> SimpleNamespace:
    org = org_small
    shop = MatterFactory(
        code="T-SJ-001",
        name="个体工商户设立登记",
        department=org.dept_a,
        promised_days=0,
        max_visits=0,
        online=True,
        materials=["个体工商户登记申请书", "居民身份证", "经营场所使用证明"],
    )
    company = MatterFactory(
        code="T-SJ-002",
        name="有限责任公司设立登记",
        department=org.dept_a,
        promised_days=1,
        materials=["公司章程", "居民身份证", "营业执照（副本）"],
    )
    food = MatterFactory(
        code="T-SJ-003",
        name="食品经营许可证核发",
        department=org.dept_a,
        promised_days=7,
        online=False,
        conditions="已取得营业执照。",
        legal_basis="《中华人民共和国食品安全法》",
        materials=[
            {"name": "营业执照（副本）", "form": Material.Form.COPY},
            {"name": "食品安全管理制度"},
            {"name": "健康证明", "requirement": OPTIONAL, "condition": "从业人员有变动的"},
        ],
    )
    sscard = MatterFactory(
        code="T-RS-001",
        name="社会保障卡申领",
        department=org.dept_b,
        promised_days=5,
        kind=Matter.Kind.PUBLIC_SERVICE,
        materials=["居民身份证", "近期免冠照片"],
    )
    retired = MatterFactory(
        code="T-RS-002",
        name="已停用的社保事项",
        department=org.dept_b,
        is_active=False,
        materials=["居民身份证"],
    )
    bundle = BundleFactory(code="B-SHOP", name="开办餐饮店一件事", matters=[shop, food])
    return SimpleNamespace(
        org=org,
        shop=shop,
        company=company,
        food=food,
        sscard=sscard,
        retired=retired,
        bundle=bundle,
        admin=org.admin,
        head_a=org.head_a,
        clerk=org.clerk_a1,
    )
