"""Values and model instances from the columns of a plain statement (the hot paths read several
tables in one statement and build each instance from its share of the row), converted as the
ORM would."""

from django.db import connection


class Columns:
    """Converts the raw values of some model fields (one row of a plain statement) as the ORM
    would: SQLite returns datetimes as text, decimals as floats, JSON as text. The converters
    are looked up once; columns that need none (or whose field is None) are passed as they
    are."""

    def __init__(self, *fields):
        self.converting = []
        for at, field in enumerate(fields):
            if field is None:
                continue
            expression = field.get_col(field.model._meta.db_table)
            found = connection.ops.get_db_converters(expression)
            found += field.get_db_converters(connection)
            if found:
                self.converting.append((at, expression, found))

    def convert(self, row) -> list:
        values = list(row)
        for at, expression, converters in self.converting:
            value = values[at]
            for convert in converters:
                value = convert(value, expression, connection)
            values[at] = value
        return values


class RowLoader:
    """Builds instances of `model` from raw column values (every concrete field, in the model's
    order), converted as the ORM would."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.values = Columns(*self.fields)

    def columns(self, alias: str) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)

    def load(self, values):
        if len(values) != len(self.fields):
            raise ValueError(f"{len(values)} values for {len(self.fields)} fields")
        return self.model.from_db(connection.alias, self.attnames, self.values.convert(values))


def to_python(field, value):
    """One raw column value of `field` as the ORM would return it."""
    return Columns(field).convert([value])[0]
