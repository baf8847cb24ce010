"""Search (jieba words, AND then OR, ranking), the merged material list of a bundle, and who
maintains which matters."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser

from chuangkou.catalog import selectors
from chuangkou.catalog.filters import GuideFilter, MatterFilter
from chuangkou.catalog.models import Material

from ..factories import DepartmentFactory
from .factories import BundleFactory, MatterFactory

pytestmark = pytest.mark.django_db
REQ, COND = Material.Requirement.REQUIRED, Material.Requirement.CONDITIONAL
ORIG, COPY, BOTH = Material.Form.ORIGINAL, Material.Form.COPY, Material.Form.BOTH


def names(matters) -> list[str]:
    return [m.name for m in matters]


# ---- search ---------------------------------------------------------------------------------


def test_a_word_of_the_name_finds_the_matter(catalog):
    assert names(selectors.search_matters("个体工商户")) == ["个体工商户设立登记"]
    assert names(selectors.search_matters("食品经营")) == ["食品经营许可证核发"]


def test_a_word_of_a_material_finds_the_matter(catalog):
    assert names(selectors.search_matters("公司章程")) == ["有限责任公司设立登记"]
    assert names(selectors.search_matters("健康证明")) == ["食品经营许可证核发"]


def test_several_words_must_all_match_when_some_matter_has_them_all(catalog):
    # 营业执照 is asked by two matters, 食品 only by one
    assert names(selectors.search_matters("营业执照 食品")) == ["食品经营许可证核发"]
    assert names(selectors.search_matters("营业执照")) == [
        "有限责任公司设立登记",
        "食品经营许可证核发",
    ]


def test_without_a_matter_matching_every_word_any_word_counts_ranked_by_hits(catalog):
    found = list(selectors.search_matters("社会保障卡 照片 食品 宠物"))
    assert names(found) == ["社会保障卡申领", "食品经营许可证核发"]
    assert found[0].hits > found[1].hits == 1


def test_name_hits_rank_before_material_hits(catalog):
    MatterFactory(code="T-ZZ-999", name="居民身份证申领", materials=["户口簿"])
    found = names(selectors.search_matters("居民身份证"))
    assert found[0] == "居民身份证申领"
    assert set(found[1:]) == {"个体工商户设立登记", "有限责任公司设立登记", "社会保障卡申领"}


def test_a_sentence_is_reduced_to_its_words(catalog):
    assert names(selectors.search_matters("我要办理个体工商户需要什么材料？")) == [
        "个体工商户设立登记"
    ]


def test_everyday_words_find_the_official_ones(catalog):
    assert names(selectors.search_matters("社保卡")) == ["社会保障卡申领"]


def test_no_result(catalog):
    assert names(selectors.search_matters("宠物狗")) == []


@pytest.mark.parametrize("nonsense", ["%%%", "😀😀", "' OR 1=1 --", "_", "\\", "\x00", "ＡＢＣ"])
def test_nonsense_finds_nothing_and_does_not_fail(catalog, nonsense):
    assert names(selectors.search_matters(nonsense)) == []


def test_a_blank_query_lists_every_matter_in_use(catalog):
    assert names(selectors.search_matters("  ")) == [  # by code
        "社会保障卡申领",
        "个体工商户设立登记",
        "有限责任公司设立登记",
        "食品经营许可证核发",
    ]


def test_inactive_matters_are_never_found(catalog):
    assert "已停用的社保事项" not in names(selectors.search_matters("社保"))
    assert "已停用的社保事项" not in names(selectors.search_matters("居民身份证"))


@pytest.mark.parametrize("query", ["身份证" * 3000, "登记 " * 2000, "测" * 10_000])
def test_a_very_long_query_is_cut_short(catalog, query):
    started = time.perf_counter()
    found = list(selectors.search_matters(query))
    assert time.perf_counter() - started < 2
    assert len(found) <= 4


def test_guide_filters_narrow_the_search(catalog):
    by_dept = selectors.guide_matters(GuideFilter(department=catalog.org.dept_b.pk))
    assert names(by_dept) == ["社会保障卡申领"]
    zero = selectors.guide_matters(GuideFilter(visits=0))
    assert names(zero) == ["个体工商户设立登记"]
    once = selectors.guide_matters(GuideFilter(q="居民身份证", visits=1))
    assert names(once) == ["社会保障卡申领", "有限责任公司设立登记"]


def test_bundles_are_found_by_every_word_of_their_name(catalog):
    assert names(selectors.search_bundles("餐饮")) == ["开办餐饮店一件事"]
    assert names(selectors.search_bundles("")) == ["开办餐饮店一件事"]
    assert names(selectors.search_bundles("餐饮 退休")) == []
    assert names(selectors.search_bundles("%%")) == []


def test_guide_departments_are_those_with_matters_in_use(catalog):
    DepartmentFactory(name="没有事项的部门")
    assert names(selectors.guide_departments()) == ["人力社保局", "市场监管局"]  # by code


# ---- bundle merge ---------------------------------------------------------------------------


@pytest.fixture
def two_matters(db):
    first = MatterFactory(
        code="X-1",
        name="甲事项",
        promised_days=5,
        max_visits=0,
        materials=[
            {"name": "身份证", "form": ORIG},
            {"name": "申请表", "requirement": COND, "condition": "委托办理的", "form": COPY},
            {"name": "照片", "copies": 2},
            {"name": "证明（原件）", "requirement": COND, "condition": "情形一"},
        ],
    )
    second = MatterFactory(
        code="X-2",
        name="乙事项",
        promised_days=8,
        max_visits=1,
        online=False,
        materials=[
            {"name": "身份证 ", "requirement": COND, "form": COPY, "copies": 2},
            {"name": "居民身份证"},
            {"name": "申请表", "requirement": COND, "condition": "另一情形", "form": ORIG},
            {"name": "照片", "copies": 1},
            {"name": "证明(原件)"},
        ],
    )
    return first, second


def test_the_same_material_is_asked_once_with_the_strictest_requirement(two_matters):
    first, second = two_matters
    bundle = BundleFactory(matters=[second, first])
    merged = {item.name: item for item in selectors.bundle_materials(bundle)}
    assert list(merged) == ["身份证", "居民身份证", "申请表", "照片", "证明(原件)"]

    id_card = merged["身份证"]
    assert id_card.matters == [second, first]
    assert id_card.requirement == REQ  # conditional in 乙, required in 甲
    assert id_card.copies == 2
    assert id_card.form == BOTH  # a copy for 乙, the original for 甲
    assert id_card.conditions == []

    assert merged["居民身份证"].matters == [second]  # a different material
    form = merged["申请表"]
    assert (form.requirement, form.form) == (COND, BOTH)
    assert form.conditions == ["另一情形", "委托办理的"]
    assert merged["照片"].copies == 2
    # full-width and half-width brackets are one material; required in 乙 wins over 情形一
    assert merged["证明(原件)"].requirement == REQ
    assert merged["证明(原件)"].conditions == []


def test_bundle_guide_promise_is_the_longest_of_its_parallel_matters(two_matters):
    first, second = two_matters
    guide = selectors.bundle_guide(BundleFactory(matters=[first, second]))
    assert guide.promised_days == 8  # parallel: the longest
    assert guide.serial_days == 13  # one after another
    assert guide.max_visits == 1
    assert guide.online is False
    assert guide.asked_materials == 9
    assert len(guide.materials) == 5


def test_bundle_keeps_its_own_order_of_matters(two_matters):
    first, second = two_matters
    other = BundleFactory(matters=[first, second])
    bundle = BundleFactory(matters=[second, first])
    assert selectors.bundle_matters(bundle) == [second, first]
    assert selectors.bundle_matters(other) == [first, second]


# ---- who maintains what ---------------------------------------------------------------------


def test_matters_managed_by_each_role(catalog, role_user):
    every = {"T-SJ-001", "T-SJ-002", "T-SJ-003", "T-RS-001", "T-RS-002"}
    codes = lambda user: {m.code for m in selectors.matters_managed_by(user)}  # noqa: E731
    assert codes(catalog.admin) == every
    assert codes(catalog.head_a) == {"T-SJ-001", "T-SJ-002", "T-SJ-003"}
    assert codes(catalog.clerk) == set()
    assert codes(AnonymousUser()) == set()
    assert names(selectors.editable_departments(catalog.head_a)) == ["市场监管局"]
    assert not selectors.editable_departments(role_user(None)).exists()


def test_managed_list_filters(catalog):
    listed = lambda **f: [  # noqa: E731
        m.code for m in selectors.managed_matters(user=catalog.admin, filters=MatterFilter(**f))
    ]
    assert listed(active=False) == ["T-RS-002"]
    assert listed(q="社会") == ["T-RS-001"]
    assert listed(online=False) == ["T-SJ-003"]
    assert listed(visits=0) == ["T-SJ-001"]
    assert listed(kind="public_service") == ["T-RS-001"]
    assert listed(department=catalog.org.dept_b.pk, active=True) == ["T-RS-001"]
    counts = {
        m.code: m.material_count
        for m in selectors.managed_matters(user=catalog.admin, filters=MatterFilter())
    }
    assert counts == {"T-RS-001": 2, "T-RS-002": 1, "T-SJ-001": 3, "T-SJ-002": 3, "T-SJ-003": 3}
