"""Lists that are paged lazily while each row is turned into its output form."""

from collections.abc import Callable

from django.db.models import QuerySet


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
