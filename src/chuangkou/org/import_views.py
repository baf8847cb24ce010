"""数据导入 pages of org: centers, departments, windows and posting history, one page each on
core.import_views (upload, every error listed, a downloadable template)."""

from dataclasses import dataclass

from django.http import Http404

from chuangkou.core.import_views import import_page
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import template_response
from chuangkou.core.roles import Role

from . import imports


@dataclass(frozen=True)
class ImportKind:
    title: str
    importer: type
    hint: str


KINDS = {
    "centers": ImportKind(
        "服务中心",
        imports.CenterImport,
        "每行一个中心及其区县（区划代码）；分中心的上级中心须在前面的行中或系统中已有。"
        "同一区县内同名的中心会被更新。",
    ),
    "departments": ImportKind(
        "进驻部门",
        imports.DepartmentImport,
        "每行一个部门；区县须已导入。同一区县内同一编码的部门会被更新。",
    ),
    "windows": ImportKind(
        "窗口",
        imports.WindowImport,
        "每行一个窗口；中心和部门须已导入；业务类别可填多个，用“、”分隔，系统中没有的会新建。"
        "同一中心同一窗口号的窗口会被更新。",
    ),
    "postings": ImportKind(
        "岗位记录",
        imports.PostingImport,
        "每行一条岗位记录；同一工号的各行替换此人的全部岗位记录（须至少一条常驻记录），"
        "所在中心和当前窗口随最近一条常驻记录更新。",
    ),
}


def _kind(kind: str) -> ImportKind:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@role_required(Role.CENTER_ADMIN)
def data_import(request, kind: str):
    found = _kind(kind)
    return import_page(
        request,
        template="org/data_import.html",
        run=found.importer(actor=request.user).run,
        success=lambda r: f"{found.title}导入成功：新增 {r.created} 条，更新 {r.updated} 条。",
        success_url=request.path,
        context={"kind": kind, "found": found, "kinds": KINDS},
    )


@role_required(Role.CENTER_ADMIN)
def data_import_template(request, kind: str):
    found = _kind(kind)
    content = imports.template(found.importer, f"{found.title}导入模板")
    return template_response(content, f"{found.title}导入模板.xlsx")
