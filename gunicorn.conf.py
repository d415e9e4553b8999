"""Gunicorn's settings for Pressdesk (`gunicorn -c gunicorn.conf.py`), read from the environment.

The worker timeout is shared with Django (settings.GUNICORN_TIMEOUT): a PDF render's own limit,
PRESSDESK_PDF_TIMEOUT, must stay below it, which `manage.py check` enforces (pressdesk.E090).
"""

import os

wsgi_app = "pressdesk.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Seconds a worker may spend on one request before the arbiter kills it. Keep in step with
# settings.GUNICORN_TIMEOUT, which reads the same variable with the same default.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = timeout
accesslog = "-"
