"""Dates of issue and reference numbers for the releases that went public before issue 13.

Every release that was ever published (or is scheduled) gets what a first publication gives it
now: an issued date (kept if its dateline gave one, else the day it first went public in its
office's time zone), the moment of issue, and its office's next reference number, numbered in the
order of first publication, so the archive reads in the order the public saw it. Withdrawn ones
included: a number, once the public may have seen it, is never given to another release.
"""

import string
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def _fields(pattern: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}


def forwards(apps, schema_editor):
    Release = apps.get_model("myths", "Release")
    PressOffice = apps.get_model("contacts", "PressOffice")
    ReferenceCounter = apps.get_model("contacts", "ReferenceCounter")
    default = PressOffice.objects.filter(is_default=True).first()
    offices = {office.pk: office for office in PressOffice.objects.all()}
    public = (
        Release.objects.filter(first_published_at__isnull=False)
        | Release.objects.filter(scheduled_revision__isnull=False)
    ).order_by("first_published_at", "publish_at", "pk")
    taken = set(Release.objects.exclude(reference="").values_list("reference", flat=True))
    for release in public.distinct():
        office = offices.get(release.office_id) or default
        zone = ZoneInfo(office.time_zone if office else settings.TIME_ZONE)
        moment = release.first_published_at or release.publish_at
        changed = []
        if release.first_published_at and release.issued_at is None:
            local = release.first_published_at.astimezone(zone)
            release.issued_on = release.issued_on or local.date()
            release.issued_at = (
                release.first_published_at
                if release.issued_on == local.date()
                else datetime.combine(release.issued_on, local.time(), zone)
            )
            changed += ["issued_on", "issued_at"]
        if not release.reference and office is not None and moment is not None:
            issued = release.issued_on or moment.astimezone(zone).date()
            scope = str(issued.year) if "year" in _fields(office.reference_pattern) else ""
            counter, _created = ReferenceCounter.objects.get_or_create(office=office, scope=scope)
            while True:
                counter.last += 1
                reference = office.reference_pattern.format(year=issued.year, seq=counter.last)
                if reference not in taken:
                    break
            counter.save(update_fields=["last"])
            taken.add(reference)
            release.reference = reference
            changed.append("reference")
        if changed:
            release.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_press_office"),
        ("myths", "0013_release_issued_at"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
