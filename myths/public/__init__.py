"""The public site: pages, list filters, search, feeds, sitemap, JSON-LD, media and previews.
Reads start from Release.objects.published() or RevisionAnswer.objects.public() (myths/models.py);
the release list also reads the public index's counts and positions, which hold nothing that a
published revision does not (PublicReleaseCount.objects.snapshot(), PublicRelease.objects).
"""
