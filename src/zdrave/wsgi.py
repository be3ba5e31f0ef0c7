import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zdrave.settings")
application = get_wsgi_application()

from zdrave.startup import refuse_insecure_start  # noqa: E402  (needs the settings above)

refuse_insecure_start()
