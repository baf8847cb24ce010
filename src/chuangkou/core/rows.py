"""Model instances from the columns of a plain statement (the hot paths read several tables in
one statement and build each instance from its share of the row)."""

from django.db import connection


class RowLoader:
    """Builds instances of `model` from raw column values, converted as the ORM would (SQLite
    returns datetimes and booleans as text and integers); the converters are looked up once."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.converters = []
        for field in self.fields:
            expression = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(expression)
            found += field.get_db_converters(connection)
            self.converters.append((expression, found))

    def columns(self, alias: str) -> str:
        quote = connection.ops.quote_name
        return ", ".join(f"{alias}.{quote(f.column)}" for f in self.fields)

    def load(self, values):
        converted = []
        for (expression, converters), value in zip(self.converters, values, strict=True):
            for convert in converters:
                value = convert(value, expression, connection)
            converted.append(value)
        return self.model.from_db(connection.alias, self.attnames, converted)


def to_python(field, value):
    """One raw column value of `field` as the ORM would return it."""
    expression = field.get_col(field.model._meta.db_table)
    for convert in connection.ops.get_db_converters(expression) + field.get_db_converters(
        connection
    ):
        value = convert(value, expression, connection)
    return value
