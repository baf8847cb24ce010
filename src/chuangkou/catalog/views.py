"""Pages of the catalog: the public guide (办事指南, no sign-in) and the staff's pages."""

import os

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from chuangkou.core.errors import DomainError
from chuangkou.core.forms import add_domain_error
from chuangkou.core.import_views import import_page
from chuangkou.core.params import parse_filters, query_without_page
from chuangkou.core.permissions import role_required
from chuangkou.core.responses import template_response, xlsx_response
from chuangkou.core.roles import Role

from . import permissions, selectors, services, transfer
from .filters import BundleFilter, GuideFilter, MatterFilter
from .forms import (
    MATTER_FORM_FIELDS,
    BundleForm,
    MaterialFormSet,
    MatterForm,
    material_initial,
    materials_from,
)
from .models import Material, Matter

EDITORS = permissions.CATALOG_EDITORS
GUIDE_PAGE_SIZE = 15


def _filters(request, schema):
    """The list's filters from the query string, and whether some were invalid (then ignored)."""
    filters, wrong = parse_filters(request.GET, schema)
    return filters, bool(wrong)


_query_without_page = query_without_page


# ---- public pages: no sign-in; nothing personal is shown -----------------------------------


@require_GET
def guide(request):
    """办事指南查询 (public): search by words of a matter's name or materials, with filters."""
    filters, invalid = _filters(request, GuideFilter)
    matters = selectors.guide_matters(filters)
    page = Paginator(matters, GUIDE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "invalid_filters": invalid,
        "query": _query_without_page(request),
        "bundles": selectors.search_bundles(filters.q) if page.number == 1 else [],
        "suggestions": [] if page.paginator.count else selectors.suggest_terms(filters.q),
        "departments": selectors.guide_departments(),
        "visit_choices": [(0, "零跑"), (1, "跑一次")],
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_guide_results.html", context)
    return render(request, "catalog/guide.html", context)


@require_GET
def matter_guide(request, code: str):
    """办事指南 of one matter (public, prints on A4)."""
    matter = get_object_or_404(selectors.public_matters().prefetch_related("materials"), code=code)
    return render(
        request,
        "catalog/matter_guide.html",
        {
            "matter": matter,
            "materials": matter.materials.all(),
            "bundles": selectors.bundles_of(matter),
            "today": timezone.localdate(),
        },
    )


@require_GET
def bundle_guide(request, code: str):
    """“一件事”办事指南 with the merged material list (public, prints on A4)."""
    bundle = get_object_or_404(selectors.public_bundles(), code=code)
    return render(
        request,
        "catalog/bundle_guide.html",
        {"guide": selectors.bundle_guide(bundle), "today": timezone.localdate()},
    )


@require_GET
def material_file(request, pk: int, kind: str):
    """The blank template (空白模板) or sample (示例样表) of a material of a matter in use."""
    if kind not in ("template", "sample"):
        raise Http404
    material = get_object_or_404(Material.objects.filter(matter__is_active=True), pk=pk)
    stored = getattr(material, kind)
    if not stored or not stored.storage.exists(stored.name):
        raise Http404
    return FileResponse(
        stored.open("rb"), as_attachment=True, filename=os.path.basename(stored.name)
    )


# ---- staff pages ---------------------------------------------------------------------------


@require_GET
@role_required(*EDITORS)
def manage(request):
    """事项管理: the matters the user maintains, with filters and Excel export."""
    filters, invalid = _filters(request, MatterFilter)
    if invalid:
        messages.warning(request, "筛选条件无效，已显示全部事项。")
    matters = selectors.managed_matters(user=request.user, filters=filters)
    if request.GET.get("export") == "xlsx":
        content = transfer.export_catalog(matters)
        return xlsx_response(
            content,
            f"事项目录_{timezone.localdate():%Y%m%d}.xlsx",
            request=request,
            what="catalog.matter",
        )
    page = Paginator(matters, 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "query": _query_without_page(request),
        "departments": selectors.editable_departments(request.user),
        "kinds": Matter.Kind.choices,
        "can_manage_bundles": permissions.can_manage_bundles(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "catalog/_manage_table.html", {**context, "oob": True})
    return render(request, "catalog/manage.html", context)


def _matter_formset_errors(exc: DomainError, form, rows) -> None:
    """Put a service error on the matter field or the material row and field it concerns."""
    parts = (exc.field or "").split(".")
    if len(parts) == 3 and parts[0] == "materials" and parts[1].isdigit():
        index = int(parts[1])
        if index < len(rows):
            row_form = rows[index][0]
            row_form.add_error(parts[2] if parts[2] in row_form.fields else None, exc.message)
            return
    add_domain_error(form, exc)


def _save_matter(request, matter: Matter | None):
    departments = selectors.editable_departments(request.user)
    initial = (
        {name: getattr(matter, name) for name in MATTER_FORM_FIELDS}
        if matter
        else {"fee": "不收费", "max_visits": 1, "promised_days": 0}
    )
    data = request.POST if request.method == "POST" else None
    form = MatterForm(data, initial=initial, departments=departments)
    formset = MaterialFormSet(
        data, request.FILES or None, initial=material_initial(matter), prefix="materials"
    )
    if data is not None and form.is_valid() and formset.is_valid():
        rows = materials_from(formset)
        materials = [spec for _, spec in rows]
        try:
            if matter is None:
                matter = services.create_matter(
                    actor=request.user, **form.cleaned_data, materials=materials
                )
            else:
                services.update_matter(
                    actor=request.user,
                    matter=matter,
                    changes=form.cleaned_data,
                    materials=materials,
                )
        except DomainError as exc:
            _matter_formset_errors(exc, form, rows)
        else:
            messages.success(request, f"已保存事项「{form.cleaned_data['name']}」。")
            return redirect("catalog:manage")
    return render(
        request,
        "catalog/matter_form.html",
        {"form": form, "formset": formset, "matter": matter},
    )


@role_required(*EDITORS)
def matter_create(request):
    return _save_matter(request, None)


def _managed_matter(request, pk: int) -> Matter:
    return get_object_or_404(selectors.matters_managed_by(request.user), pk=pk)


@role_required(*EDITORS)
def matter_edit(request, pk: int):
    return _save_matter(request, _managed_matter(request, pk))


@require_POST
@role_required(*EDITORS)
def matter_set_active(request, pk: int):
    """停用 / 恢复 a matter (POST, confirmed in the page)."""
    matter = _managed_matter(request, pk)
    if request.POST.get("active") == "1":
        service = services.reactivate_matter
    else:
        service = services.deactivate_matter
    try:
        service(actor=request.user, matter=matter)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "事项状态已更新。")
    return redirect("catalog:matter_edit", pk=matter.pk)


@role_required(*EDITORS)
def catalog_import(request):
    """从 Excel 导入事项目录: everything or nothing, with the bad cells listed."""
    return import_page(
        request,
        template="catalog/import.html",
        run=transfer.CatalogImport(actor=request.user).run,
        success=lambda r: f"导入成功：新增 {r.created} 个事项，更新 {r.updated} 个。",
        success_url=reverse("catalog:manage"),
    )


@require_GET
@role_required(*EDITORS)
def import_template(request):
    return template_response(transfer.import_template(), "事项目录导入模板.xlsx")


@require_GET
@role_required(Role.CENTER_ADMIN)
def bundles(request):
    """一件事管理."""
    filters, invalid = _filters(request, BundleFilter)
    if invalid:
        messages.warning(request, "筛选条件无效，已显示全部。")
    page = Paginator(selectors.managed_bundles(user=request.user, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "catalog/bundles.html",
        {"page": page, "filters": filters, "query": _query_without_page(request)},
    )


def _save_bundle(request, bundle):
    current = selectors.bundle_matters(bundle) if bundle else []
    initial = {}
    if bundle is not None:
        initial = {
            "code": bundle.code,
            "name": bundle.name,
            "description": bundle.description,
            "matters": [m.pk for m in current],
        }
    form = BundleForm(request.POST or None, initial=initial, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            if bundle is None:
                bundle = services.create_bundle(actor=request.user, **form.cleaned_data)
            else:
                services.update_bundle(actor=request.user, bundle=bundle, changes=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已保存一件事「{form.cleaned_data['name']}」。")
            return redirect("catalog:bundles")
    return render(request, "catalog/bundle_form.html", {"form": form, "bundle": bundle})


@role_required(Role.CENTER_ADMIN)
def bundle_create(request):
    return _save_bundle(request, None)


def _managed_bundle(request, pk: int):
    return get_object_or_404(selectors.bundles_managed_by(request.user), pk=pk)


@role_required(Role.CENTER_ADMIN)
def bundle_edit(request, pk: int):
    return _save_bundle(request, _managed_bundle(request, pk))


@require_POST
@role_required(Role.CENTER_ADMIN)
def bundle_set_active(request, pk: int):
    bundle = _managed_bundle(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.update_bundle(actor=request.user, bundle=bundle, changes={"is_active": active})
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "一件事状态已更新。")
    return redirect("catalog:bundle_edit", pk=bundle.pk)
