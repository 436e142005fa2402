"""``/healthz``: may a load balancer send this host requests? (django-health-check)

Checks the database (SELECT 1), the caches (set and get), the imports' file storage (save, read,
delete) and, when one is configured, the job queue's broker (a connection). Anybody may ask,
signed in or not, so the answer says nothing but the status: ``{"status": "ok"}`` with 200, or
``{"status": "unavailable"}`` with 503; which check failed and why goes to the log
(``tracker.health``), never to the caller: no versions, hosts or error texts.
"""

import asyncio
import dataclasses
import logging

from django.conf import settings
from django.http import JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (only when ``CELERY_BROKER_URL`` is set)."""

    def run(self):
        from tracker.celery import app

        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:
            raise ServiceUnavailable("broker unreachable") from error


def health_checks() -> list:
    checks = [Database, Cache, (Cache, {"alias": "sessions"}), (Storage, {"alias": "imports"})]
    if settings.QUEUE_CONFIGURED:
        checks.append(Broker)
    return checks


class HealthView(HealthCheckView):
    """Status only, as JSON, whatever the Accept header asks for."""

    @property
    def checks(self):
        return health_checks()

    async def get(self, request, *args, **kwargs):
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        failed = [result for result in self.results if result.error]
        for result in failed:
            logger.error("health check %r failed: %s", result.check, result.error)
        if failed:
            return JsonResponse({"status": "unavailable"}, status=503)
        return JsonResponse({"status": "ok"})
