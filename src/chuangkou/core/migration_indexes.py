"""Dropping the single-column indexes of some fields in a migration, by name.

Django drops a field's index with AlterField(db_index=False), which on SQLite copies the whole
table; a large table (cases, their daily summary) would be copied once per field. Instead the
migration changes the state only and runs `dropped_field_indexes`, which finds each field's
plain one-column index by introspection (whatever it is named) and drops it; backwards, it
creates the index again where none is left."""

from django.db import migrations


def _single_column_indexes(schema_editor, model, column: str) -> list[str]:
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(
            cursor, model._meta.db_table
        )
    return [
        name
        for name, c in constraints.items()
        if c["index"]
        and c["columns"] == [column]
        and not (c["primary_key"] or c["unique"] or c["foreign_key"] or c["check"])
    ]


def dropped_field_indexes(app_label: str, model_name: str, fields: tuple[str, ...]):
    """A RunPython that drops the one-column indexes of `fields` of the model (and back)."""

    def drop(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for name in fields:
            column = model._meta.get_field(name).column
            for index in _single_column_indexes(schema_editor, model, column):
                schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(index)}")

    def create(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        for name in fields:
            field = model._meta.get_field(name)
            if not _single_column_indexes(schema_editor, model, field.column):
                schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    return migrations.RunPython(drop, create, elidable=False)
