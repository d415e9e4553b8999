"""The public site: pages, list filters, search, feeds, sitemap, JSON-LD, media and previews.
Reads start from Release.objects.published() or RevisionAnswer.objects.public() (myths/models.py).
"""
