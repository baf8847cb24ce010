"""Answer suggestions ranked on hand-made cases: colloquial words through the synonym list,
materials and bundles, earlier answers; the index follows new answers."""

import pytest

from chuangkou.consult import search, services
from tests.catalog.factories import MaterialFactory, MatterFactory

from .conftest import ask_about

pytestmark = pytest.mark.django_db


def test_query_terms_drop_filler_and_add_synonyms():
    terms = search.query_terms("请问房产证丢了怎么办？")
    assert "请问" not in terms and "怎么办" not in terms
    assert terms["房产证"] == 1.0
    assert terms["不动产权证书"] == search.SYNONYM_WEIGHT
    assert search.query_terms("？？！！") == {}


def test_colloquial_question_finds_the_guide_matter(cw):
    lost = MatterFactory(code="T-BDC-009", name="不动产权证书遗失补发", department=cw.dept_b)
    MaterialFactory(matter=lost, name="遗失声明")
    MatterFactory(code="T-BDC-010", name="不动产抵押登记", department=cw.dept_b)
    guide, _ = search.suggest("房产证丢了要怎么补办")
    assert guide[0].doc.matter_id == lost.pk
    assert guide[0].doc.url.endswith("/guide/matter/T-BDC-009/")


def test_material_and_bundle_passages(cw):
    guide, _ = search.suggest("开饭店要办什么证")
    top = {(h.doc.kind, h.doc.matter_id) for h in guide[:3]}
    assert any(m == cw.catalog.food.pk for _, m in top)
    guide, _ = search.suggest("餐饮店一件事")
    assert guide[0].doc.kind == "bundle"


def test_earlier_answers_follow_new_replies(cw):
    _, answers = search.suggest("个体户 营业执照 丢失")
    assert answers == []
    c = ask_about(cw, cw.catalog.shop, question="个体户营业执照丢失了怎么办？")
    services.claim(actor=cw.clerk_a1, consultation=c)
    services.reply(actor=cw.clerk_a1, consultation=c, body="登报声明作废后申请补领营业执照。")
    _, answers = search.suggest("营业执照丢了")
    assert answers and answers[0].doc.pk == c.pk
    assert "补领" in answers[0].doc.text


def test_the_matter_the_person_chose_ranks_first(cw):
    """Two matters answer the same words; the one named on the consultation comes first."""
    mortgage = MatterFactory(code="T-BDC-011", name="不动产抵押登记申请", department=cw.dept_b)
    transfer = MatterFactory(code="T-BDC-012", name="不动产转移登记申请", department=cw.dept_b)
    for chosen in (mortgage, transfer):
        guide, _ = search.suggest("不动产登记申请要带什么", matter_id=chosen.pk)
        assert guide[0].doc.matter_id == chosen.pk
