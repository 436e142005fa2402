"""The back office's read-only view of import batches."""

from django.contrib import admin

from tracker.admin import BoundedChangeListMixin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(BoundedChangeListMixin, admin.ModelAdmin):
    """Import records are evidence of what was loaded: viewable, never edited by hand."""

    list_display = ["id", "created_at", "user", "file_name", "kind", "outcome", "error_count"]
    list_filter = ["outcome", "kind", "dry_run"]
    search_fields = ["file_name", "checksum", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
