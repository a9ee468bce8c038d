"""At most one active donation appeal at any moment, kept by the database.

Windows are half-open, [starts_at, ends_at), with no end when ends_at is empty, so one appeal
may end the moment the next one starts. PostgreSQL keeps the rule with an exclusion constraint
over the windows as time ranges. SQLite has no such constraint: triggers abort the write instead.

Django's ExclusionConstraint cannot sit in the model's Meta: SQLite would be handed the
PostgreSQL DDL, and full_clean() would try to validate it there. So the rule lives here, out of
the migration state, and DonationAppeal.clean() explains it to editors first.

On SQLite, remaking the table (as an AlterField on this model does) drops its triggers; the
tests in tests/articles/test_donation_appeals.py fail if that ever happens.
"""

from django.db import migrations

TABLE = "articles_donationappeal"
NAME = "articles_donationappeal_one_at_a_time"

POSTGRESQL_ADD = (
    f"ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} "
    "EXCLUDE USING gist (tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (is_active)"
)
POSTGRESQL_DROP = f"ALTER TABLE {TABLE} DROP CONSTRAINT {NAME}"

# Django stores SQLite datetimes as UTC text, which sorts in time order (the ORM's own
# comparisons rely on this too). `IS NOT` because NEW.id may still be empty before an insert.
SQLITE_TRIGGER = f"""
CREATE TRIGGER {NAME}_{{event}}
BEFORE {{when}} ON {TABLE}
FOR EACH ROW WHEN NEW.is_active
BEGIN
    SELECT RAISE(ABORT, '{NAME}: active donation appeals may not overlap')
    WHERE EXISTS (
        SELECT 1 FROM {TABLE} AS other
        WHERE other.is_active
          AND other.id IS NOT NEW.id
          AND (NEW.ends_at IS NULL OR other.starts_at < NEW.ends_at)
          AND (other.ends_at IS NULL OR other.ends_at > NEW.starts_at)
    );
END
"""
SQLITE_EVENTS = {"insert": "INSERT", "update": "UPDATE OF starts_at, ends_at, is_active"}


def refuse_existing_overlaps(apps, schema_editor):
    """Stop with the clashing titles rather than a bare database error."""
    DonationAppeal = apps.get_model("articles", "DonationAppeal")
    appeals = DonationAppeal.objects.using(schema_editor.connection.alias)
    active = list(appeals.filter(is_active=True).order_by("starts_at", "pk"))
    # Sorted by start, any overlap shows up between neighbours.
    clashes = [
        f"“{first.title}” and “{second.title}”"
        for first, second in zip(active, active[1:], strict=False)
        if first.ends_at is None or first.ends_at > second.starts_at
    ]
    if clashes:
        raise RuntimeError(
            "Active donation appeals overlap: "
            + "; ".join(clashes)
            + ". Re-date or switch off one of each pair, then migrate again."
        )


def add_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_ADD)
    elif vendor == "sqlite":
        for event, when in SQLITE_EVENTS.items():
            schema_editor.execute(SQLITE_TRIGGER.format(event=event, when=when))
    else:
        raise NotImplementedError(f"No overlap guard for donation appeals on {vendor}.")


def remove_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        for event in SQLITE_EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_newsroom_roles"),
    ]

    operations = [
        migrations.RunPython(refuse_existing_overlaps, migrations.RunPython.noop),
        migrations.RunPython(add_guard, remove_guard),
    ]
