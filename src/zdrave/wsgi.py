"""The WSGI application for gunicorn (docs/deployment.md). It refuses to start — one line, no
traceback — when the settings cannot be read (an unusable ``ZDRAVE_DATABASE_URL``) or in
production mode with the public development key, before anything is served (zdrave.startup)."""

import os

import django
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")

from zdrave.startup import refuse_insecure_start, refuse_unusable_settings  # noqa: E402

refuse_unusable_settings()
refuse_insecure_start()
django.setup(set_prefix=False)
# GET /api/v1/eligibility/ by a lean handler outside Django's request cycle (issue 12,
# performance; zdrave.providers.network.lean), everything else by Django.
from zdrave.providers.network.lean import dispatcher  # noqa: E402

application = dispatcher(get_wsgi_application())
