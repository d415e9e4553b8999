"""Issue 9, item 18: the supported backup (scripts/backup: pg_dump's custom format and a copy of
the media files) restores (scripts/restore, into an empty database) every row and every file
exactly, timestamps to the microsecond; `dumpdata` does not, which is why it is not the backup."""

import os
import secrets
import subprocess
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
import redis
from django.core import serializers
from django.db import connection
from django.utils import timezone
from psycopg import sql

from myths import workflow
from myths.models import Release, Revision, WorkflowLogEntry
from tests.factories import (
    FigureFactory,
    PressContactFactory,
    SocialHandleFactory,
    UserFactory,
    arrange_state,
    release_with_content,
)
from tests.fixtures import SCRATCH_REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def libpq_url(name: str) -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def connect(name: str, **kwargs) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        dbname=name,
        **kwargs,
    )


@pytest.fixture
def scratch_database():
    """A new, empty database beside the test database, dropped afterwards whatever happens."""
    name = f"{connection.settings_dict['NAME']}_restore_{secrets.token_hex(4)}"
    with connect(connection.settings_dict["NAME"], autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with connect(connection.settings_dict["NAME"], autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def everything(name: str) -> dict:
    """Every row of every table (as Python values: exact timestamps, parsed JSON) and the
    position of every sequence, so a restored database can be compared value by value."""
    found = {}
    with connect(name) as db:
        tables = db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        for (table,) in tables:
            rows = db.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))).fetchall()
            found[table] = sorted(rows, key=repr)
        for (sequence,) in db.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall():
            found[f"sequence {sequence}"] = db.execute(
                sql.SQL("SELECT last_value, is_called FROM {}").format(sql.Identifier(sequence))
            ).fetchone()
    return found


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def run_script(name: str, *args: str, database: str, media: Path, **environment) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": libpq_url(database),
        "DJANGO_MEDIA_ROOT": str(media),
        **environment,
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def a_newsroom():
    """Releases in several states with several revisions each, their log, contacts with social
    handles, figures on disk, and timestamps below the millisecond."""
    contact = PressContactFactory()
    SocialHandleFactory(contact=contact)
    writer = UserFactory(role="writer")
    published = arrange_state(release_with_content(contact=contact), Release.Status.PUBLISHED)
    published.lede = "A corrected lede, in a second revision."
    published.save()
    workflow.release_edit_saved(release=published, actor=writer)
    FigureFactory(response=published.responses.first())
    arrange_state(published, Release.Status.PUBLISHED)
    arrange_state(release_with_content(responses=3), Release.Status.WITHDRAWN)
    arrange_state(
        release_with_content(),
        Release.Status.SCHEDULED,
        publish_at=timezone.now() + timedelta(days=2),
    )
    release_with_content(figures=2)  # a draft never saved as a revision


@pytest.mark.django_db(transaction=True)
@pytest.mark.database("postgresql")  # pg_dump reads committed data over its own connection
def test_backup_then_restore_into_an_empty_database_keeps_everything(
    settings, tmp_path, scratch_database
):
    a_newsroom()
    assert Revision.objects.count() >= 5 and WorkflowLogEntry.objects.count() >= 8
    assert any(r.created_at.microsecond % 1000 for r in Revision.objects.all())
    media = Path(settings.MEDIA_ROOT)
    assert len(files_under(media)) >= 8
    before, before_files = everything(connection.settings_dict["NAME"]), files_under(media)

    backup, restored_media = tmp_path / "backup", tmp_path / "restored-media"
    run_script("backup", str(backup), database=connection.settings_dict["NAME"], media=media)
    # The shared cache the old database's servers filled: the restore empties it.
    shared = redis.Redis.from_url(SCRATCH_REDIS_URL)
    shared.set(":1:pressdesk:public-page:101:0:en:old-timeline", b"a page of the old database")
    run_script(
        "restore",
        str(backup),
        database=scratch_database,
        media=restored_media,
        REDIS_URL=SCRATCH_REDIS_URL,
    )
    assert shared.dbsize() == 0

    after = everything(scratch_database)
    assert after.keys() == before.keys()
    for table in ("myths_release", "myths_revision", "myths_workflowlogentry"):
        assert after[table] and after[table] == before[table], table
    assert after["contacts_presscontact"] and after["contacts_socialhandle"]
    assert after == before  # every row of every table, and every sequence's position
    assert files_under(restored_media) == before_files  # every media file, byte for byte


@pytest.mark.django_db(transaction=True)
@pytest.mark.database("postgresql")
def test_restore_refuses_a_database_that_is_not_empty(settings, tmp_path):
    backup = tmp_path / "backup"
    media = Path(settings.MEDIA_ROOT)
    run_script("backup", str(backup), database=connection.settings_dict["NAME"], media=media)
    env = {
        **os.environ,
        "DATABASE_URL": libpq_url(connection.settings_dict["NAME"]),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "elsewhere"),
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / "restore"), str(backup)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "not empty" in result.stderr


@pytest.mark.django_db
def test_dumpdata_cuts_timestamps_to_milliseconds():
    """Why `dumpdata`/`loaddata` is not the backup: Django's JSON keeps milliseconds only."""
    release = arrange_state(release_with_content(), Release.Status.DRAFT)
    revision = release.revisions.get()
    Revision.objects.filter(pk=revision.pk).update(
        created_at=revision.created_at.replace(microsecond=123456)
    )
    revision.refresh_from_db()
    assert revision.created_at.microsecond == 123456
    [loaded] = serializers.deserialize("json", serializers.serialize("json", [revision]))
    assert loaded.object.created_at.microsecond == 123000
