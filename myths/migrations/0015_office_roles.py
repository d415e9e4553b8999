"""Issue 13: who may see and edit press offices (the roles of 0002_roles).

Every role reads the offices (the release form names them); publishers, who choose a release's
office and edit the press contacts, also keep the offices' letterhead, boilerplate and patterns.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["contacts.view_pressoffice"]
ROLES = {
    "writer": READ,
    "reviewer": READ,
    "publisher": READ + ["contacts.add_pressoffice", "contacts.change_pressoffice"],
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
        ("contacts", "0004_press_office"),
        ("myths", "0014_issued_dates_and_references"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
