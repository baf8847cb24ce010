"""Lists that are paged lazily while each row is turned into its output form."""

from collections.abc import Callable

from django.db.models import QuerySet
from ninja.pagination import PageNumberPagination
from pydantic import Field

from chuangkou.core.schema_types import Schema

from .schema_types import PageNumber


class MappedQuerySet:
    """A queryset whose slices come out mapped through `fn` (for ninja's pagination)."""

    def __init__(self, queryset: QuerySet, fn: Callable):
        self.queryset = queryset
        self.fn = fn

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [self.fn(obj) for obj in self.queryset[item]]
        return self.fn(self.queryset[item])


class Pages(PageNumberPagination):
    """ninja's page-number pagination with a bounded page number: `?page=2**64` is a 422 with
    a Chinese message instead of an OFFSET the database cannot hold."""

    class Input(Schema):
        page: PageNumber = 1
        page_size: int | None = Field(None, ge=1, le=1000)
