"""The guide as the hall has it: a bundle leaves out what an earlier matter of it produces,
search ranks the exact name first and suggests near words for a typo."""

import pytest
from django.urls import reverse

from chuangkou.catalog import selectors, services

from .factories import BundleFactory, MatterFactory

pytestmark = pytest.mark.django_db


def test_a_bundle_does_not_ask_for_what_an_earlier_matter_issues(catalog):
    catalog.shop.produces = "营业执照"
    catalog.shop.save()
    bundle = BundleFactory(code="B-QY", name="企业开办一件事", matters=[catalog.shop, catalog.food])
    merged = [item.name for item in selectors.bundle_materials(bundle)]
    assert "营业执照（副本）" not in merged  # 食品经营许可 needs it, 设立登记 issues it
    assert merged == [
        "个体工商户登记申请书",
        "居民身份证",
        "经营场所使用证明",
        "食品安全管理制度",
        "健康证明",
    ]
    guide = selectors.bundle_guide(bundle)
    assert [(name, n) for name, _, n in guide.produced] == [("营业执照（副本）", 1)]
    # in the other order the licence must still be brought
    reverse_bundle = BundleFactory(code="B-QY2", matters=[catalog.food, catalog.company])
    assert "营业执照（副本）" in [i.name for i in selectors.bundle_materials(reverse_bundle)]


def test_the_bundle_guide_page_says_what_need_not_be_brought(client, catalog):
    catalog.shop.produces = "营业执照"
    catalog.shop.save()
    BundleFactory(code="B-QY", name="企业开办一件事", matters=[catalog.shop, catalog.food])
    page = client.get(reverse("catalog:bundle_guide", args=["B-QY"])).content.decode()
    assert 'data-testid="produced"' in page and "第 1 项“个体工商户设立登记”核发" in page


def test_produces_is_kept_by_the_matter_service(catalog):
    matter = services.create_matter(
        actor=catalog.admin,
        code="T-SJ-009",
        name="合伙企业设立登记",
        department=catalog.org.dept_a,
        produces=" 营业执照、 印章 ",
    )
    assert matter.products == ["营业执照", "印章"]


def test_the_exact_name_comes_first(catalog):
    MatterFactory(
        code="T-SJ-010",
        name="食品经营许可证核发（延续）",
        department=catalog.org.dept_a,
        materials=["食品经营许可证核发申请书"],
    )
    MatterFactory(
        code="T-AA-001",
        name="小餐饮食品经营许可证核发备案",
        department=catalog.org.dept_a,
        materials=["食品经营许可证核发材料"],
    )
    found = [m.name for m in selectors.search_matters("食品经营许可证核发")]
    assert found[0] == "食品经营许可证核发"


def test_a_typo_gets_near_words_suggested(client, catalog):
    MatterFactory(code="T-GJJ-001", name="住房公积金提取", department=catalog.org.dept_b)
    MatterFactory(code="T-GJJ-002", name="单位住房公积金缴存登记", department=catalog.org.dept_b)
    assert not selectors.search_matters("公机金").exists()
    assert selectors.suggest_terms("公机金")[0] == "公积金"
    page = client.get(reverse("catalog:guide"), {"q": "公机金"}).content.decode()
    assert 'data-testid="suggestions"' in page and "公积金" in page
    assert selectors.suggest_terms("") == [] and selectors.suggest_terms("%%") == []
