from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from core.site import absolute_url
from myths.importing import MAX_IMPORT_BYTES, release_import
from myths.importing.docx_safety import MAX_DOCX_BYTES
from myths.importing.preview import is_docx


class Command(BaseCommand):
    help = (
        "Import a release written as plain text, Markdown or Word (.docx) (title, 'Myth 1: …' "
        "headings, responses, contact block) as a draft, and print what was made and where to "
        "edit it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .txt, .md or .docx file to import.")
        parser.add_argument(
            "--author", metavar="USERNAME", help="The user recorded as the draft's author."
        )

    def handle(self, *args, path, author=None, **options):
        user = None
        if author:
            try:
                user = get_user_model().objects.get(username=author)
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No user named {author!r}.") from error
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        # Read one byte past the limit, so an oversized file is refused without loading it all.
        limit = MAX_DOCX_BYTES if is_docx(file.name) else MAX_IMPORT_BYTES
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
        try:
            result = release_import(text_or_bytes=data, author=user, filename=file.name)
        except ValidationError as error:
            raise CommandError(f"{file.name}: {' '.join(error.messages)}") from error
        lines = result.summary_lines()
        self.stdout.write(self.style.SUCCESS(f"Imported {file.name}: {lines[0]}"))
        for line in lines[1:]:
            self.stdout.write(f"  {line}")
        change_url = reverse("admin:myths_release_change", args=[result.release.pk])
        self.stdout.write(f"Edit it at {absolute_url(change_url)}")
