"""The one row that says which version of the public site is current (the public generation).

Kept in the database, not the cache, so that it commits or rolls back with the change it stands for
and no cache restart, eviction or restored snapshot can bring an older version back.
"""

from django.db import models


class PublicGeneration(models.Model):
    """A counter bumped in the transaction of every change to what the public sees.

    There is one row (`ROW`); public page-cache keys carry its value (see core/cache.py).
    """

    ROW = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ROW)
    value = models.BigIntegerField(
        "generation",
        default=1,
        help_text="Incremented with every change to public content; page-cache keys carry it.",
    )

    class Meta:
        verbose_name = "public generation"
        verbose_name_plural = "public generation"

    def __str__(self):
        return f"public generation {self.value}"
