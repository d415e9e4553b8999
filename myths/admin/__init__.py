"""The Django admin of myths: ModelAdmins in releases.py, declarative, with their behaviour mixed
in from one module per concern (locking, transitions, revisions, importing,
translating).

Django's autodiscovery imports `myths.admin`; importing releases registers the ModelAdmins.
"""

# releases registers the ModelAdmins with admin.site; contact_refresh re-registers the press
# contact's admin with the releases a change of its details affects.
from . import contact_refresh, releases  # noqa: F401
