"""The zones' policy targets in the administrators' back office (the admin site opens to
administrators only: ``platforms.admin_site``)."""

from django.contrib import admin

from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("zone", "metric", "start_year", "end_year", "value")
    list_filter = ("zone", "metric")
    list_select_related = ("zone",)
    ordering = ("zone__name", "start_year", "metric")
