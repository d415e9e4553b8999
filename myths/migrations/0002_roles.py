"""The editorial roles as groups with their permissions (see README, "Roles").

Permissions are normally created after all migrations run; they are created here first so the
groups can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "myths.view_release", "myths.view_response", "myths.view_figure", "myths.view_source",
    "myths.view_claim", "myths.view_topic", "myths.view_revision", "myths.view_workflowlogentry",
    "myths.view_sharelink", "contacts.view_presscontact", "contacts.view_socialhandle",
]  # fmt: skip
EDIT = [
    "myths.add_release", "myths.change_release",
    "myths.add_response", "myths.change_response", "myths.delete_response",
    "myths.add_figure", "myths.change_figure", "myths.delete_figure",
    "myths.add_source", "myths.change_source", "myths.delete_source",
    "myths.add_claim", "myths.change_claim", "myths.add_topic",
]  # fmt: skip
ROLES = {
    "writer": READ + EDIT + ["myths.submit_release", "myths.import_release", "myths.share_release"],
    "reviewer": READ + EDIT + ["myths.review_release", "myths.share_release"],
    "publisher": READ + EDIT + [
        "myths.publish_release", "myths.share_release",
        "contacts.add_presscontact", "contacts.change_presscontact",
        "contacts.add_socialhandle", "contacts.change_socialhandle",
        "contacts.delete_socialhandle",
    ],
}  # fmt: skip


def create_roles(apps, schema_editor):
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
            # .get(): a misspelt permission must stop the migration, not go missing quietly.
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contacts", "0001_initial"),
        ("myths", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
