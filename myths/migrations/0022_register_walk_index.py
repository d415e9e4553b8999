"""The myth register's order index covers what a page is filtered on (valid times, topics), so a
page is read from either end of it and a deep page counts the rows it skips in the index alone
(issue 10). It replaces the order index of 0018, which held `visible_from` only.
"""

from django.db import migrations, models


def no_statement_timeout(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL statement_timeout = 0")  # an index over a long register


class Migration(migrations.Migration):
    dependencies = [("myths", "0021_register_summary_topic_counts")]

    operations = [
        migrations.RunPython(no_statement_timeout, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="registerentry", name="myths_register_order"),
        migrations.AddIndex(
            model_name="registerentry",
            index=models.Index(
                fields=["wording", "claim", "visible_from", "visible_until", "topic_slugs"],
                name="myths_register_walk",
            ),
        ),
    ]
