"""PostgreSQL: the function `core_auditentry_lock_head(lock_class, chains)`, with which an audit
append (core.audit._lock_chain) picks its chain from the transaction id, takes the chain's
advisory lock until the transaction ends, and reads the chain's head, in one statement instead
of two. Nothing on SQLite (one writer at a time: no chain lock).

VOLATILE on purpose: under READ COMMITTED each statement inside it takes a new snapshot, so the
head is read after the lock was granted and includes the entry that the previous holder
committed meanwhile (a single plain statement reading the head beside the lock would see the
table as it was before the wait, and append a duplicate seq). An empty chain: seq 0, no hash.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION core_auditentry_lock_head(lock_class integer, chains integer)
RETURNS TABLE (head_chain integer, head_seq bigint, head_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    picked integer := (pg_current_xact_id()::text::bigint % chains)::integer;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_class, picked);
    RETURN QUERY SELECT picked, e.seq::bigint, e.entry_hash::varchar FROM core_auditentry e
        WHERE e.chain = picked ORDER BY e.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN QUERY SELECT picked, 0::bigint, NULL::varchar;
    END IF;
END $$
"""
DROP = "DROP FUNCTION IF EXISTS core_auditentry_lock_head(integer, integer)"


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_rate_counter"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function),
    ]
