"""Migration 0024_search_document_inline on existing data: a revision's search vector written
before it (moved out of its row into TOAST) is moved into its row, so that ranking it reads no
page beyond the row's own; reversed, vectors written afterwards go to TOAST again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("myths", "0023_public_index_no_parallel_scan")]
AFTER = [("myths", "0024_search_document_inline")]
# 300 different words: a vector of some 3 kB, which PostgreSQL cannot compress.
LONG_TEXT = " ".join(f"pier{n}" for n in range(300))

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.database("postgresql"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def revision_written(apps) -> int:
    Release = apps.get_model("myths", "Release")
    Revision = apps.get_model("myths", "Revision")
    release = Release.objects.create(title="Harbour", slug=f"harbour-{Release.objects.count()}")
    revision = Revision.objects.create(
        release=release,
        number=1,
        status="published",
        content={},
        title="Harbour",
        search_text=LONG_TEXT,
        search_config="english",
    )
    return revision.pk


def pages_read(sql: str, revision_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", [revision_id])
        (document,) = cursor.fetchone()
    plan = document[0]["Plan"]
    return plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)


def vector_pages(revision_id: int) -> int:
    """The pages read to rank the revision's vector beyond those of reading its row by key."""
    # Read once first: the first scan after a rewrite also visits the row's dead version.
    pages_read("SELECT search_config FROM myths_revision WHERE id = %s", revision_id)
    ranked = pages_read(
        "SELECT ts_rank(search_document, 'harbour'::tsquery) FROM myths_revision WHERE id = %s",
        revision_id,
    )
    row = pages_read("SELECT search_config FROM myths_revision WHERE id = %s", revision_id)
    return ranked - row


def test_vectors_written_before_move_into_their_rows():
    try:
        apps = migrate(BEFORE)
        before = revision_written(apps)
        assert vector_pages(before) > 0  # in TOAST: its index and chunks

        migrate(AFTER)
        assert vector_pages(before) == 0

        apps = migrate(BEFORE)  # reversed: what is written from now on goes to TOAST again
        assert vector_pages(revision_written(apps)) > 0
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
