"""One press office for what exists: the default, holding every release.

Its dateline place comes from the old site-wide PRESSDESK_PDF_PLACE, its default contact from the
default press contact. The name is a placeholder an administrator renames in the admin.
"""

import os

from django.db import migrations


def forwards(apps, schema_editor):
    PressOffice = apps.get_model("contacts", "PressOffice")
    PressContact = apps.get_model("contacts", "PressContact")
    Release = apps.get_model("myths", "Release")
    office = PressOffice.objects.filter(is_default=True).first()
    if office is None:
        office = PressOffice.objects.create(
            name="Press Office",
            slug="press-office",
            dateline_place=os.environ.get("PRESSDESK_PDF_PLACE", "").upper(),
            default_contact=PressContact.objects.filter(is_default=True, is_proposed=False).first(),
            is_default=True,
        )
    Release.objects.filter(office__isnull=True).update(office=office)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_press_office"),
        ("myths", "0010_release_identity"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
