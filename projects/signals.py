"""Keep each project's yield summary in step with its runs, whatever saved or deleted them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Project, YieldRun


@receiver([post_save, post_delete], sender=YieldRun, dispatch_uid="refresh_yield_summary")
def refresh_project_yield(sender, instance, **kwargs):
    Project.objects.filter(pk=instance.project_id).refresh_yield_summary()
