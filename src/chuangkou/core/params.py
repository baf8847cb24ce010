"""Input at the edge, once: query parameters, path ids, filters and pages that never raise.

Ids beyond the database's 64-bit integers, dates outside a sane window (2000–2100), NUL
characters and malformed values become "no value" (with a Chinese message where the user asked
for something), never a server error. The ninja schema types built on these limits are in
`core.schema_types`; the URL converter for ids in `core.converters`.
"""

import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.dateparse import parse_date
from pydantic import ValidationError

MAX_ID = 2**63 - 1  # the largest id PostgreSQL's bigint and SQLite's INTEGER can hold
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
DATE_WINDOW_MESSAGE = "日期须在 2000-01-01 至 2100-12-31 之间。"
ID_MESSAGE = "编号须为 1 至 9223372036854775807 之间的整数。"
NUL_MESSAGE = "提交的内容包含无效字符（NUL）。"
FILTERS_MESSAGE = "筛选条件无效，已显示全部。"

_DIGITS = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """`value` as a database id (1 … 2**63-1), or None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def id_param(params, name: str) -> int | None:
    """The id in `params[name]` (a QueryDict or dict), or None when absent or not an id."""
    return parse_id(params.get(name, ""))


def id_list(values) -> list[int]:
    """The ids among `values` (e.g. `request.POST.getlist("staff")`); anything else is dropped."""
    return [pk for pk in map(parse_id, values) if pk is not None]


def in_window(day: dt.date) -> bool:
    return FIRST_DAY <= day <= LAST_DAY


def check_day(day: dt.date) -> dt.date:
    """`day` itself, or ValueError with the Chinese message when outside 2000–2100."""
    if not in_window(day):
        raise ValueError(DATE_WINDOW_MESSAGE)
    return day


def date_param(params, name: str) -> dt.date | None:
    """The date in `params[name]`, or None when absent, not a real date or outside 2000–2100."""
    try:
        day = parse_date((params.get(name, "") or "").strip())
    except ValueError:
        return None
    return day if day is not None and in_window(day) else None


def has_nul(text: str) -> bool:
    return "\x00" in text


def explain(error: dict) -> str:
    """A pydantic error (one item of `ValidationError.errors()`) in Chinese."""
    kind = error.get("type", "")
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", "")) or "取值无效。"
    if kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
        return "数值超出允许范围。"
    if kind.startswith("int_") or kind.startswith("float_"):
        return "须为整数。"
    if kind.startswith(("date_", "datetime_")):
        return "日期格式应为 YYYY-MM-DD。"
    if kind.startswith("bool_"):
        return "须为 true 或 false。"
    if kind in ("literal_error", "enum"):
        return "不是可选的值之一。"
    if kind == "missing":
        return "必填。"
    if kind in ("string_too_long", "too_long"):
        return "内容过长。"
    if kind == "json_invalid":
        return "请求内容不是有效的 JSON。"
    return "取值无效。"


def _field(error: dict) -> str:
    return ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload", "query"))


def problems(exc: ValidationError) -> list[dict]:
    """Each problem of a pydantic ValidationError as {"field": …, "message": …} in Chinese."""
    return [{"field": _field(e), "message": explain(e)} for e in exc.errors()]


def parse_filters(params, schema):
    """The list's FilterSchema from a query string, and the Chinese problems when some value was
    invalid (then no filter at all is applied, so the page shows everything with a message)."""
    values = {k: v for k, v in params.items() if k in schema.model_fields and v}
    try:
        return schema(**values), []
    except ValidationError as exc:
        return schema(), [f"{p['field']}：{p['message']}" for p in problems(exc)]


def read_filters(request, schema, *, note: str = FILTERS_MESSAGE):
    """`parse_filters` on `request.GET`, telling the user (a warning message) what was wrong."""
    filters, wrong = parse_filters(request.GET, schema)
    if wrong:
        messages.warning(request, f"{note}（{'；'.join(wrong)}）")
    return filters


# -- filters as people read them ---------------------------------------------------------------

NO_FILTER = "全部（未筛选）"
_BOTH_WAYS = re.compile(r"true[:：]\s*(?P<yes>[^；;]+)[；;]\s*false[:：]\s*(?P<no>.+)", re.I)


@dataclass(frozen=True)
class FilterItem:
    """One condition of a filter as people read it: `label` (may be empty) and `value`."""

    label: str
    value: str

    def __str__(self) -> str:
        return f"{self.label}：{self.value}" if self.label else self.value


def plain_value(value) -> str:
    """A filter value in Chinese: a choice as its label, 是/否, a date as YYYY-MM-DD."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, enum.Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if value.tzinfo
            else f"{value:%Y-%m-%d %H:%M}"
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _label(name: str, description: str | None) -> str:
    label = (description or name).split("：", 1)[0].split(":", 1)[0].strip()
    if label.endswith("编号") and len(label) > 2:
        label = label[: -len("编号")]
    return label


def describe_filters(
    filters,
    *,
    labels: Mapping[str, str] | None = None,
    choices: Mapping[str, type] | None = None,
    names: Mapping[str, Callable[[object], str | None]] | None = None,
) -> list[FilterItem]:
    """The conditions set on a parsed FilterSchema (`parse_filters`) in Chinese, in the schema's
    order; fields left empty are left out. A field's label is its `description` (up to a "：",
    without a trailing "编号"), or `labels[field]`; a choice shows its label (an enum field by
    itself, a plain text field through `choices[field]`, a TextChoices class); a boolean 是/否,
    or the meaning its description gives ("true：仅超期；false：仅未超期"); `names[field]`
    turns a value (an id) into a name, an unknown one (None) shows the value itself."""
    labels, choices, names = labels or {}, choices or {}, names or {}
    items = []
    for field, info in type(filters).model_fields.items():
        value = getattr(filters, field, None)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        description = info.description or ""
        both_ways = _BOTH_WAYS.search(description) if isinstance(value, bool) else None
        label = labels.get(field, "" if both_ways else _label(field, description))
        if both_ways:
            text = both_ways.group("yes" if value else "no").strip().rstrip("。")
        elif field in names:
            text = names[field](value) or plain_value(value)
        elif field in choices and not isinstance(value, enum.Enum):
            text = str(dict(choices[field].choices).get(value, value))
        else:
            text = plain_value(value)
        items.append(FilterItem(label, text))
    return items


def filter_text(items) -> str:
    """The conditions joined for one line ("状态：已办结；部门：民政局"), or 全部（未筛选）."""
    return "；".join(str(item) for item in items) or NO_FILTER


def name_lookup(model, field: str | None = None) -> Callable[[object], str | None]:
    """For `describe_filters(names=…)`: the `field` (or the str()) of `model`'s row with that id,
    None when there is none."""

    def name(value) -> str | None:
        pk = parse_id(value)
        if pk is None:
            return None
        if field:
            return model.objects.filter(pk=pk).values_list(field, flat=True).first()
        row = model.objects.filter(pk=pk).first()
        return str(row) if row is not None else None

    return name


def page_of(request, items, per_page: int = 25) -> Page:
    """The page `?page=` asks for: the first for anything not a number, the last beyond the end
    (however large the number)."""
    text = request.GET.get("page", "").strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 100 else 1
    paginator = Paginator(items, per_page)
    return paginator.get_page(min(max(number, 1), paginator.num_pages))


def query_without_page(request) -> str:
    """The query string of a list without `page` and `export`, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()
