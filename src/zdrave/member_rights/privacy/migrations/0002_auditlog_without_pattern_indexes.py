"""django-auditlog's change rows without the pattern-matching twins of their ``cid`` and
``object_pk`` indexes (PostgreSQL only: the ``varchar_pattern_ops`` indexes Django adds beside
an indexed text column). No query asks ``LIKE 'x%'`` of them — auditlog looks rows up by
equality (``get_for_object``, the correlation id), the admin's search is ``UPPER(…) LIKE '%x%'``
— and every claim writes three such rows (docs/decisions.md, "Online claims: the lock and its
read in one round trip"). The plain indexes stay. auditlog's own migrations drop these twins
with ``IF EXISTS`` when they alter the columns; reversing this one makes them again."""

from django.db import migrations

TWINS = [("cid", "auditlog_logentry_cid_like"), ("object_pk", "auditlog_logentry_object_pk_like")]


def drop_twins(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'auditlog_logentry'"
            " AND indexdef LIKE '%%varchar_pattern_ops%%'"
        )
        names = [name for (name,) in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def make_twins(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column, name in TWINS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {schema_editor.quote_name(name)} ON auditlog_logentry"
            f" ({schema_editor.quote_name(column)} varchar_pattern_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_twins, make_twins, elidable=False)]
