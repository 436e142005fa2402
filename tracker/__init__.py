"""Pilot Tracker's site package. The Celery app is loaded with Django, so that
``shared_task`` jobs are bound to it wherever they are sent from."""

from .celery import app as celery_app

__all__ = ("celery_app",)
