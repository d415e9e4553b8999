"""The myth register's summaries are kept from the rows each change writes and deletes instead of
recounted over the whole register (issue 10): each topic now holds its count of claims and the
revision its name comes from, and an index on `updated_on` gives the latest change without
reading the register. The summaries are rewritten in that shape.
"""

from django.db import migrations, models


def no_statement_timeout(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL statement_timeout = 0")  # reads the whole register


def summaries_rebuild(apps, schema_editor):
    from myths.register import register_summaries_rebuild

    register_summaries_rebuild(apps=apps)


def topics_as_pairs(apps, schema_editor):
    """Back to what 0020's summaries held: [slug, name] of the topics offered."""
    for summary in apps.get_model("myths", "RegisterSummary").objects.all():
        summary.topics = [[slug, name] for slug, name, claims, _rev in summary.topics if claims]
        summary.save(update_fields=["topics"])


class Migration(migrations.Migration):
    dependencies = [("myths", "0020_fill_public_register")]

    operations = [
        migrations.RunPython(no_statement_timeout, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="registerentry",
            index=models.Index(fields=["updated_on"], name="myths_register_updated"),
        ),
        migrations.RunPython(summaries_rebuild, topics_as_pairs),
    ]
