"""The Django admin of myths: ModelAdmins in releases.py, declarative, with their behaviour mixed
in from one module per concern (locking, transitions, revisions, importing,
translating).

Django's autodiscovery imports `myths.admin`; importing releases registers the ModelAdmins.
"""

from . import releases  # noqa: F401  (registers the ModelAdmins with admin.site)
