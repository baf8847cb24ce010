"""The page side of `core.importing`: the upload form and one view body for every import page.

The page template includes `_import_errors.html`, which lists every problem of the file
(row, column, value, message) when an upload was refused.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from .errors import DomainError
from .forms import add_domain_error
from .importing import ImportReport

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportFileForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）或 CSV 文件（.csv）")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件或 .csv 文件。")
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件不能超过 10 MB。")
        return f


def import_page(
    request,
    *,
    template: str,
    run: Callable[..., ImportReport],
    success: Callable[[ImportReport], str],
    success_url: str,
    context: dict | None = None,
):
    """GET: the upload form. POST: `run(content=…, filename=…)`; on success a message from
    `success(report)` and a redirect, otherwise the page again with every error listed."""
    form = ImportFileForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = run(content=upload.read(), filename=upload.name)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if report.ok:
                messages.success(request, success(report))
                return redirect(success_url)
    return render(request, template, {**(context or {}), "form": form, "report": report})
