"""Migration 0006_langs_slugs_search_translations on existing data: placeholder slugs become Latin
ones, revisions get their slug and search configuration, and the old address still works."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("myths", "0005_pdf_render_failure")]
AFTER = [("myths", "0006_langs_slugs_search_translations")]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_placeholder_slugs_are_replaced_and_revisions_filled():
    apps = migrate(BEFORE)
    try:
        Release = apps.get_model("myths", "Release")
        Revision = apps.get_model("myths", "Revision")
        Claim = apps.get_model("myths", "Claim")
        russian = Release.objects.create(title="Пять мифов о выборах", slug="item", language="ru")
        kept = Release.objects.create(title="Harbour facts", slug="harbour-facts", language="en")
        Revision.objects.create(
            release=russian,
            number=1,
            status="draft",
            content={"slug": "item", "language": "ru", "title": russian.title},
            title=russian.title,
        )
        Claim.objects.create(wording="Выборы были сфальсифицированы", slug="item-2")

        apps = migrate(AFTER)
        Release = apps.get_model("myths", "Release")
        Revision = apps.get_model("myths", "Revision")
        Claim = apps.get_model("myths", "Claim")
        assert Release.objects.get(pk=russian.pk).slug == "pyat-mifov-o-vyborakh"
        assert Release.objects.get(pk=kept.pk).slug == "harbour-facts"
        assert Claim.objects.get().slug == "vybory-byli-sfalsifitsirovany"
        # The old address stays on record, for ReleaseQuerySet.renamed_from.
        revision = Revision.objects.get()
        assert (revision.slug, revision.search_config) == ("item", "russian")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
