"""The WSGI application gunicorn serves (`gunicorn config.wsgi`). Without DJANGO_SETTINGS_MODULE it
runs the production settings, which refuse to start without a secret, hosts and a database:
a WSGI server is never the demo (`make demo` uses `notinschool runserver`, local settings)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
