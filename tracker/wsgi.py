"""
WSGI config for tracker project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from tracker.secret_key import refuse_without_real_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

# gunicorn and runserver both load this module: with DEBUG off they refuse to serve without a
# real SECRET_KEY.
refuse_without_real_key()
application = get_wsgi_application()
