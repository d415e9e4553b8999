"""Write a release's PDF to a file: `manage.py export_pdf <slug> [-o FILE] [--revision N]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from myths.models import Release, Revision
from myths.pdf.render import (
    PdfRenderError,
    revision_pdf_cached,
    revision_pdf_date,
    revision_pdf_mark,
)


class Command(BaseCommand):
    help = (
        "Export a release as PDF. By default the revision the public sees; --revision N exports "
        "revision number N of the release, marked DRAFT or EMBARGOED unless it is the live one."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The release's slug.")
        parser.add_argument("-o", "--output", help="The file to write (default: <slug>.pdf).")
        parser.add_argument(
            "--revision", type=int, help="Revision number; needed for a release not public."
        )

    def handle(self, *args, slug, output=None, revision=None, **options):
        release = Release.objects.filter(slug=slug).first()
        if release is None:
            raise CommandError(f'No release with the slug "{slug}".')
        if revision is None:
            public = Release.objects.published().filter(pk=release.pk).first()
            if public is None:
                raise CommandError(
                    f'"{slug}" is not public ({release.get_status_display()}); '
                    "choose a revision with --revision N."
                )
            chosen = Revision.objects.get(pk=public.public_revision_id)
            date, mark = public.public_date, None
        else:
            chosen = release.revisions.filter(number=revision).first()
            if chosen is None:
                raise CommandError(f'"{slug}" has no revision {revision}.')
            date, mark = revision_pdf_date(revision=chosen), revision_pdf_mark(revision=chosen)
        try:
            pdf, _etag = revision_pdf_cached(revision=chosen, date=date, mark=mark, retry=True)
        except PdfRenderError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        path = Path(output or f"{release.slug}.pdf")
        path.write_bytes(pdf)
        note = f" ({mark.text})" if mark else ""
        self.stdout.write(f"Wrote {path} (revision {chosen.number}, {len(pdf):,} bytes){note}.")
