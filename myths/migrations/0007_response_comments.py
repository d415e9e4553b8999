"""Issue 14 (the editor's desk): reviewers' comments on one response, resolved by a writer.

Reviewers may add them, writers resolve them, every role reads them (the roles of 0002_roles).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

READ = ["myths.view_responsecomment"]
ROLES = {
    "writer": READ + ["myths.resolve_responsecomment"],
    "reviewer": READ + ["myths.add_responsecomment"],
    "publisher": READ,
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        for group in Group.objects.filter(name=name):
            for code in codes:
                app_label, codename = code.split(".")
                group.permissions.remove(
                    *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                )


class Migration(migrations.Migration):
    dependencies = [
        ("myths", "0006_langs_slugs_search_translations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ResponseComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "revision_number",
                    models.PositiveIntegerField(
                        help_text="The number of the revision the reviewer was reading.",
                        verbose_name="revision",
                    ),
                ),
                (
                    "text",
                    models.TextField(
                        help_text="What should change in this answer.", verbose_name="comment"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, verbose_name="when"),
                ),
                (
                    "resolved_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="resolved at"),
                ),
                (
                    "author",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        help_text="The claim the response answered when the comment was made.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="myths.claim",
                        verbose_name="claim",
                    ),
                ),
                (
                    "release",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="response_comments",
                        to="myths.release",
                        verbose_name="release",
                    ),
                ),
                (
                    "resolved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="resolved by",
                    ),
                ),
                (
                    "response",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="comments",
                        to="myths.response",
                        verbose_name="response",
                    ),
                ),
            ],
            options={
                "verbose_name": "comment on a response",
                "verbose_name_plural": "comments on responses",
                "ordering": ["created_at", "pk"],
                "permissions": [("resolve_responsecomment", "Can resolve a comment on a response")],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
