"""Page numbers over a long archive without counting or sorting it.

The release list knows its size from the public counts (PublicCounts), the myth register from its
summary (RegisterSummary), and each reads a page from the nearer end of its order: page 1 and the
last page cost the same. A page deep in the list finds where it starts by walking an index alone
(the public index, the register's covering index), never joining the rows it skips.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# Offsets up to this many rows are read by walking the joined rows; deeper ones from the index.
SHALLOW = 120


class BoundedPaginator(Paginator):
    """A Paginator given its `count` (None: count the queryset as usual), whose pages in the
    older half are read in the reverse order (`QuerySet.reverse()`) and turned back.

    Given `end_rows(limit, from_end=…)` (a function returning the first `limit` rows of the
    order or of its reverse, as a list, or None when it cannot), the first and the last page are
    read through it (a query compiled once per process, myths/public/views.py).

    Given `entries` (a function returning rows of a narrower table or index matching the same
    filters, or None: the visible PublicRelease rows, the current RegisterEntry rows; called only
    for a deep page), a page more than SHALLOW rows from its end takes the ids at its positions
    from the index alone (`at_positions` of the queryset:
    ReleaseQuerySet's, RegisterEntryQuerySet's). The queryset must have a total order (public
    date then id; wording then claim).
    """

    def __init__(
        self,
        object_list,
        per_page,
        orphans=0,
        allow_empty_first_page=True,
        *,
        count=None,
        entries=None,
        end_rows=None,
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.known_count = count
        self.entries = entries
        self.end_rows = end_rows

    @cached_property
    def count(self):
        if self.known_count is not None:
            return self.known_count
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        from_end = bottom > self.count - top and hasattr(self.object_list, "reverse")
        offset = self.count - top if from_end else bottom
        entries = self.entries() if self.entries is not None and offset > SHALLOW else None
        end = None
        if offset == 0 and top > bottom and self.end_rows is not None:  # first or last page
            end = self.end_rows(top - bottom, from_end=from_end)
        if end is not None:
            rows = end[::-1] if from_end else end
        elif entries is not None:
            rows = self.object_list.at_positions(
                entries, offset, offset + top - bottom, from_end=from_end
            )
        elif from_end:
            rows = list(self.object_list.reverse()[offset : offset + top - bottom])[::-1]
        else:
            rows = self.object_list[bottom:top]
        return self._get_page(rows, number, self)
