"""The Celery application: imports (and any other long job) run as tasks on a job queue.

Why Celery: it is the best kept Django task queue, both brokers it supports best run here
(Redis, RabbitMQ), and its workers run on hosts other than the web's. Configuration comes from
the ``CELERY_*`` settings (``tracker/settings.py``): with ``CELERY_BROKER_URL`` set, jobs go to
the broker and a worker started with

    celery -A tracker worker --loglevel=INFO

runs them; without it, ``task_always_eager`` runs each job in the process that sends it (the web
request or the command), so that ``make run`` needs nothing but Python. Eager rather than a
thread after the commit: a thread dies with its gunicorn worker (recycled after N requests or a
timeout) and is invisible to tests; eager is deterministic and keeps every state transition in
the same code path as a worker's.

Tasks are found in each app's ``tasks`` module (``projects/imports/tasks.py``).
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

app = Celery("tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_without_real_key(**kwargs):
    """A worker, like the web, does not start with DEBUG off and no real SECRET_KEY."""
    from tracker.secret_key import refuse_without_real_key

    refuse_without_real_key()
