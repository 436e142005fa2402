"""Answer "the database is busy" as a page of the site, not as a server error."""

import logging

from django.shortcuts import render

from .locking import BUSY_MESSAGE, RETRY_AFTER_SECONDS, is_database_locked

logger = logging.getLogger(__name__)


def busy_response(request, template_name="database_busy.html", context=None):
    """A 503 that tells the user to come back in a minute (and tells clients when)."""
    context = {"busy_message": BUSY_MESSAGE, **(context or {})}
    response = render(request, template_name, context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseLockedMiddleware:
    """A view that could not get SQLite's write lock within the busy timeout (an import is
    writing) gets a friendly 503 page in the site's layout. Nothing was written: the lock is
    taken when a transaction begins (``transaction_mode=IMMEDIATE``), before any write.

    Forms whose input would be lost catch the lock themselves and re-render with it
    (``projects.views.ProjectFormView``); this is the net for every other view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_locked(exception):
            return None
        logger.warning("%s %s: database is locked, answered 503", request.method, request.path)
        return busy_response(request)
