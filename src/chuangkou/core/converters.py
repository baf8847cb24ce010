"""URL converters: `<id:pk>` matches a database id only, so a path with an id beyond 2**63-1
is a 404 before any view runs."""

from .params import MAX_ID


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("not a database id")  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))
