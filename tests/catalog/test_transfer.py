"""Excel import and export of the catalog: every cell checked, nothing written on error, and an
export re-imports unchanged."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from chuangkou.catalog import transfer
from chuangkou.catalog.models import Material, Matter
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry

from ..factories import DepartmentFactory
from .factories import MatterFactory

pytestmark = pytest.mark.django_db
HEADERS = transfer.HEADERS


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def matter_row(code, name, dept, *material, kind="行政许可", days=3, visits=1, online="是"):
    return [code, name, dept, kind, days, visits, online, *material]


def state() -> list:
    """Everything the catalog holds, to compare before and after."""
    return [
        (
            m.code,
            m.name,
            m.department_id,
            m.kind,
            m.promised_days,
            m.max_visits,
            m.online,
            m.conditions,
            m.legal_basis,
            m.fee,
            m.is_active,
            m.search_text,
            [
                (x.name, x.requirement, x.condition, x.form, x.copies, x.template.name, x.order)
                for x in m.materials.all()
            ],
        )
        for m in Matter.objects.order_by("code").prefetch_related("materials")
    ]


def test_import_creates_new_matters_and_replaces_materials_of_existing_ones(catalog):
    content = workbook(
        [
            matter_row("N-1", "个体工商户变更登记", "市场监管局", "变更申请书", "必需", "原件", 1),
            matter_row(
                "N-1",
                "个体工商户变更登记",
                "市场监管局",
                "营业执照（副本）",
                "必需",
                "原件和复印件",
                2,
            ),
            matter_row(
                "N-2",
                "就业创业证申领",
                "人力社保局",
                "居民身份证",
                "",
                "",
                "",
                kind="公共服务",
                days=0,
                visits=0,
            ),
            matter_row(
                "T-SJ-002",
                "有限责任公司设立登记",
                "市场监管局",
                "公司章程",
                "是",
                "原件",
                1,
                days=2,
                visits=0,
            ),
            matter_row(
                "T-SJ-002",
                "有限责任公司设立登记",
                "市场监管局",
                "股东会决议",
                "容缺",
                "复印件",
                1,
                days=2,
                visits=0,
            ),
        ]
    )
    report = transfer.import_catalog(actor=catalog.admin, content=content)
    assert report.ok, report.errors
    assert (report.rows, report.created, report.updated) == (5, 2, 1)

    changed = Matter.objects.get(code="N-1")
    assert [(m.name, m.form, m.copies) for m in changed.materials.all()] == [
        ("变更申请书", Material.Form.ORIGINAL, 1),
        ("营业执照（副本）", Material.Form.BOTH, 2),
    ]
    second = Matter.objects.get(code="N-2")
    assert (second.kind, second.max_visits, second.online) == ("public_service", 0, True)
    assert second.materials.get().requirement == Material.Requirement.REQUIRED  # blank = 必需
    company = Matter.objects.get(code="T-SJ-002")
    assert (company.promised_days, company.max_visits) == (2, 0)
    assert [(m.name, m.requirement) for m in company.materials.all()] == [
        ("公司章程", "required"),
        ("股东会决议", "conditional"),
    ]
    assert " 股东会 " in company.search_text
    entry = AuditEntry.objects.filter(action="catalog.import").get()
    assert entry.after == {
        "file": "",
        "rows": 5,
        "errors": 0,
        "result": "succeeded",
        "created": 2,
        "updated": 1,
    }
    assert AuditEntry.objects.filter(action="catalog.matter.create").count() == 2


def test_every_bad_cell_is_reported_and_nothing_is_written(catalog):
    before, entries = state(), AuditEntry.objects.count()
    content = workbook(
        [
            matter_row("N-1", "甲", "没有这个部门", "申请书", "必需", "原件", 1),  # 2
            matter_row("N-1", "乙", "市场监管局", "申请书", "必需", "原件", 1),  # 3: name, dup
            matter_row("N-2", "丙", "市场监管局", "申请书", "必需", "传真", 0, days=-2),  # 4
            matter_row(
                "N-3",
                "丁",
                "市场监管局",
                "申请书",
                "也许",
                "原件",
                1.5,
                kind="许可证",
                visits="两次",
                online="可能",
            ),  # 5
            matter_row("", "", "市场监管局", "申请书", "必需", "原件", 1),  # 6
            matter_row("N-4", "戊", "市场监管局", visits=0, online="否"),  # 7
            matter_row("坏 编码", "己", "市场监管局", "申请书", "必需", "原件", 1),  # 8
        ]
    )
    report = transfer.import_catalog(actor=catalog.admin, content=content)
    assert not report.ok
    cells = {(e.row, e.column) for e in report.errors}
    assert {
        (2, "部门"),
        (3, "事项名称"),
        (3, "材料名称"),
        (4, "材料形式"),
        (4, "份数"),
        (4, "承诺时限"),
        (5, "事项类型"),
        (5, "是否必需"),
        (5, "份数"),
        (5, "最多跑动次数"),
        (5, "可网办"),
        (6, "事项编码"),
        (6, "事项名称"),
        (7, "最多跑动次数"),
        (8, "事项编码"),
    } <= cells
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "不能为负数" in messages[(4, "承诺时限")]
    assert "与第 2 行的材料重复" in messages[(3, "材料名称")]
    assert "零跑" in messages[(7, "最多跑动次数")]
    assert "第 4 行「承诺时限」列" in str(report.errors[[*messages].index((4, "承诺时限"))])
    assert state() == before
    assert AuditEntry.objects.count() == entries + 1  # the attempt, nothing else
    attempt = AuditEntry.objects.get(action="catalog.import")
    assert attempt.after["result"] == "rejected"
    assert attempt.after["errors"] == report.error_count > 0


def test_an_error_found_while_writing_rolls_back_the_rows_before_it(catalog):
    before = state()
    content = workbook(
        [
            matter_row("N-1", "甲事项", "市场监管局", "申请书", "必需", "原件", 1),
            matter_row("N-2", "乙事项", "市场监管局", "申请书", "必需", "原件", 1),
            matter_row("N-2", "乙事项", "市场监管局", "长" * 201, "必需", "原件", 1),
        ]
    )
    report = transfer.import_catalog(actor=catalog.admin, content=content)
    assert [(e.row, e.column) for e in report.errors] == [(4, "材料名称")]
    assert (report.created, report.updated) == (0, 0)
    assert state() == before


def test_a_dept_head_imports_only_their_departments(catalog):
    own = workbook([matter_row("N-1", "甲事项", "市场监管局", "申请书", "必需", "原件", 1)])
    assert transfer.import_catalog(actor=catalog.head_a, content=own).ok
    other = workbook(
        [
            matter_row("N-2", "乙事项", "人力社保局", "申请书", "必需", "原件", 1),
            # moving a matter of their own department elsewhere is refused as well
            matter_row("T-SJ-001", "个体工商户设立登记", "人力社保局", "申请书", "必需", "原件", 1),
        ]
    )
    report = transfer.import_catalog(actor=catalog.head_a, content=other)
    assert [(e.row, e.column) for e in report.errors] == [(2, "部门"), (3, "部门")]
    assert not Matter.objects.filter(code="N-2").exists()


def test_clerks_may_not_import(catalog):
    with pytest.raises(PermissionDeniedError):
        transfer.import_catalog(actor=catalog.clerk, content=workbook([]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a spreadsheet", "无法读取文件"),
        (workbook([["N-1", "甲"]], headers=["事项编码", "事项名称"]), "表头缺少列"),
        (workbook([]), "没有数据行"),
    ],
)
def test_unreadable_files_are_refused(catalog, content, message):
    with pytest.raises(DomainError, match=message):
        transfer.import_catalog(actor=catalog.admin, content=content)


def test_an_export_reimports_unchanged(catalog, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    MatterFactory(code="T-EMPTY", name="无需材料的事项", department=catalog.org.dept_a)
    material = catalog.food.materials.get(name="健康证明")
    material.template.save("健康证明模板.docx", io.BytesIO(b"x"))
    before = state()
    entries = AuditEntry.objects.count()

    exported = transfer.export_catalog(Matter.objects.all())
    report = transfer.import_catalog(actor=catalog.admin, content=exported)

    assert report.ok, report.errors
    assert (report.created, report.updated) == (0, 6)
    assert state() == before  # conditions, templates and search words kept too
    actions = set(AuditEntry.objects.filter(id__gt=entries).values_list("action", flat=True))
    assert actions == {"catalog.import"}
    assert transfer.export_catalog(Matter.objects.all()) is not None


def test_an_edited_export_applies_the_edit(catalog):
    exported = transfer.export_catalog(Matter.objects.filter(code="T-SJ-003"))
    wb = load_workbook(io.BytesIO(exported))
    ws = wb.active
    assert [c.value for c in ws[1]] == HEADERS
    assert [c.value for c in ws[2]] == [
        "T-SJ-003", "食品经营许可证核发", "市场监管局", "行政许可", 7, 1, "否",
        "营业执照（副本）", "必需", "复印件", 1,
    ]  # fmt: skip
    for row in ws.iter_rows(min_row=2):
        row[4].value = 5  # 承诺时限
    ws.delete_rows(4)  # drop 健康证明
    buffer = io.BytesIO()
    wb.save(buffer)
    report = transfer.import_catalog(actor=catalog.admin, content=buffer.getvalue())
    assert report.ok
    food = Matter.objects.get(code="T-SJ-003")
    assert food.promised_days == 5
    assert [m.name for m in food.materials.all()] == ["营业执照（副本）", "食品安全管理制度"]


def test_the_import_template_is_a_valid_import(catalog):
    DepartmentFactory(name="市场监管")
    content = transfer.import_template()
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == HEADERS
    report = transfer.import_catalog(actor=catalog.admin, content=content)
    assert report.ok, report.errors
