"""The core app: registered only for its model, the public generation (core/models.py).

Its other modules are plain helpers below both apps; nothing here imports myths or contacts.
"""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"
    default_auto_field = "django.db.models.BigAutoField"
