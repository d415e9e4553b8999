"""Issue 11 (languages): revisions record their slug and text-search configuration; translations'
responses know the original's claim and revision they render.

- Revision.slug: former slugs of a release redirect to its current one (ReleaseQuerySet.renamed_from).
- Revision.search_config (regconfig on PostgreSQL): the public search index is rebuilt on
  `to_tsvector(search_config, …)`, so each release is stemmed in its own language (the English-only
  index of 0003_public_search is dropped).
- Releases and claims that got the placeholder slug "item" (a title in a non-Latin script, before
  slugs were transliterated) get a Latin one; the release's old address redirects through the slug
  its revisions recorded, the claim's through RevisionAnswer.renamed_from.
"""

import re

from anyascii import anyascii
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce
from django.utils.text import slugify
import django.db.models.deletion
import myths.models
from django.db import migrations, models

OLD_INDEX = "myths_revision_search"
NEW_INDEX = "myths_revision_search_lang"
PLACEHOLDER = re.compile(r"^item(-[0-9]+)?$")
# A frozen copy of myths.models.SEARCH_CONFIGS, as of this migration.
SEARCH_CONFIGS = {
    "en": "english", "fr": "french", "de": "german", "es": "spanish", "ru": "russian",
    "it": "italian", "pt": "portuguese", "nl": "dutch",
}


def _english_index():
    return GinIndex(
        SearchVector("title", weight="A", config="english")
        + SearchVector("lede", weight="B", config="english")
        + SearchVector("search_text", weight="C", config="english"),
        name=OLD_INDEX,
    )


def _weighted(column, weight):
    document = Func(
        F("search_config"),
        Coalesce(F(column), Value(""), output_field=TextField()),
        function="to_tsvector",
        output_field=SearchVectorField(),
    )
    return Func(document, Value(weight), function="setweight", output_field=SearchVectorField())


def _language_index():
    """A frozen copy of myths.public.search.search_vector(), as of this migration."""
    return GinIndex(
        Func(
            _weighted("title", "A"),
            _weighted("lede", "B"),
            _weighted("search_text", "C"),
            template="(%(expressions)s)",
            arg_joiner=" || ",
            output_field=SearchVectorField(),
        ),
        name=NEW_INDEX,
    )


def _on_postgresql(action):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            action(schema_editor, apps.get_model("myths", "Revision"))

    return run


drop_english = _on_postgresql(lambda editor, model: editor.remove_index(model, _english_index()))
add_english = _on_postgresql(lambda editor, model: editor.add_index(model, _english_index()))
drop_language = _on_postgresql(lambda editor, model: editor.remove_index(model, _language_index()))
add_language = _on_postgresql(lambda editor, model: editor.add_index(model, _language_index()))


def fill_revisions(apps, schema_editor):
    """Copy each snapshot's slug and its language's search configuration out of the snapshot."""
    Revision = apps.get_model("myths", "Revision")
    changed = []
    for revision in Revision.objects.order_by().only("content").iterator(chunk_size=500):
        content = revision.content or {}
        language = (content.get("language") or "").lower().split("-")[0]
        revision.slug = (content.get("slug") or "")[:200]
        revision.search_config = SEARCH_CONFIGS.get(language, "simple")
        changed.append(revision)
        if len(changed) >= 500:
            Revision.objects.bulk_update(changed, ["slug", "search_config"])
            changed = []
    Revision.objects.bulk_update(changed, ["slug", "search_config"])


def _reslug(model, text_field):
    taken = set(model.objects.values_list("slug", flat=True))
    for row in model.objects.order_by("pk"):
        if not PLACEHOLDER.match(row.slug):
            continue
        base = slugify(anyascii(getattr(row, text_field)))[:194].strip("-")
        if not base or base == row.slug:
            continue
        candidate, number = base, 2
        while candidate in taken:
            candidate, number = f"{base}-{number}", number + 1
        taken.add(candidate)
        model.objects.filter(pk=row.pk).update(slug=candidate)


def replace_placeholder_slugs(apps, schema_editor):
    _reslug(apps.get_model("myths", "Release"), "title")
    _reslug(apps.get_model("myths", "Claim"), "wording")


class Migration(migrations.Migration):

    dependencies = [
        ('myths', '0005_pdf_render_failure'),
    ]

    operations = [
        migrations.RunPython(drop_english, add_english, elidable=False),
        migrations.AddField(
            model_name='response',
            name='source_claim',
            field=models.ForeignKey(blank=True, editable=False, help_text="In a translation: the original's claim this response renders.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='myths.claim', verbose_name='claim of the original'),
        ),
        migrations.AddField(
            model_name='response',
            name='source_revision',
            field=models.ForeignKey(blank=True, editable=False, help_text="In a translation: the original's revision whose text this response last rendered.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='myths.revision', verbose_name='translated from revision'),
        ),
        migrations.AddField(
            model_name='revision',
            name='search_config',
            field=myths.models.SearchConfigField(default='simple', help_text="The text-search configuration of the release's language, e.g. russian.", max_length=40, verbose_name='search configuration'),
        ),
        migrations.AddField(
            model_name='revision',
            name='slug',
            field=models.SlugField(blank=True, help_text="The release's slug when saved: an address that redirects to the current one.", max_length=200, verbose_name='slug'),
        ),
        migrations.RunPython(fill_revisions, migrations.RunPython.noop),
        migrations.RunPython(replace_placeholder_slugs, migrations.RunPython.noop),
        migrations.RunPython(add_language, drop_language, elidable=False),
    ]
