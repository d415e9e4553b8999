"""Page numbers over a long archive without counting or sorting it.

The release list knows its size from the public counts (PublicCounts) and reads a page from the
nearer end of its order: page 1 and the last page cost the same, and no page walks more than half
the archive's index.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class BoundedPaginator(Paginator):
    """A Paginator given its `count` (None: count the queryset as usual), whose pages in the
    older half are read in the reverse order (`QuerySet.reverse()`) and turned back.

    The queryset must have a total order (the list's is public date, then id).
    """

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count=None
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.known_count = count

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
        if bottom > self.count - top and hasattr(self.object_list, "reverse"):
            rows = list(self.object_list.reverse()[self.count - top : self.count - bottom])
            return self._get_page(rows[::-1], number, self)
        return self._get_page(self.object_list[bottom:top], number, self)
