"""Bulk import from Excel/CSV: template download, upload, preview, confirm, history, export.

The flow: upload (the file is kept server-side under the batch's id) → check, streamed as a
page with a progress bar → preview (counts per sheet, first rows, every error) → confirm, which
checks the stored file again (the data may have changed meanwhile) and writes, again streamed
→ the batch page with the outcome. Checking a 400,000-row workbook takes tens of seconds, so
both long steps stream their progress instead of leaving the browser spinning. Each long step
first claims its batch (pending → checking, previewed → importing) with one conditional
UPDATE: a double click, a second tab or a reload never runs a step twice, and is told so.
"""

import logging
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escapejs
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from tracker.exports import XLSX_CONTENT_TYPE, csv_response, export_filename

from . import storage
from .choices import ImportOutcome
from .exporting import export_workbook
from .forms import ImportUploadForm
from .models import ImportBatch
from .permissions import may_import
from .registry import registry
from .service import claim, execute, fail_missing_file, sha256_of
from .workbook_template import template_bytes

logger = logging.getLogger(__name__)
PROGRESS_MARKER = "<!--progress-->"
SHOWN_ERRORS = 1000


class ImportPermissionMixin(LoginRequiredMixin):
    """Platform staff and superusers import; anybody else signed in (a zone manager) gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied(_("Only platform staff and administrators may import."))
        return super().dispatch(request, *args, **kwargs)


def batches_of(user):
    """The import batches a user may look at: their own; a superuser's: all."""
    batches = ImportBatch.objects.select_related("user")
    return batches if user.is_superuser else batches.filter(user=user)


class ImportUploadView(ImportPermissionMixin, FormView):
    template_name = "imports/upload.html"
    form_class = ImportUploadForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        batch = ImportBatch.objects.create(
            user=self.request.user,
            file_name=Path(upload.name).name[:255],
            kind=form.cleaned_data["kind"]
            or ("workbook" if upload.name.lower().endswith(".xlsx") else "csv"),
            dry_run=True,
        )
        path = storage.save(batch, upload)
        batch.checksum = sha256_of(path)
        batch.save(update_fields=["checksum"])
        self.request.session[f"import-{batch.pk}-encoding"] = form.cleaned_data["encoding"]
        return HttpResponseRedirect(reverse("imports:check", args=[batch.pk]))


class StreamedImportMixin(ImportPermissionMixin):
    """Runs an import step while streaming a page whose progress bar follows the rows."""

    def stream(self, batch, *, dry_run: bool, title):
        path = storage.path_of(batch)
        encoding = self.request.session.get(f"import-{batch.pk}-encoding") or None
        kind = batch.kind if batch.kind in registry.kinds() else None
        page = render_to_string(
            "imports/progress.html", {"batch": batch, "title": title}, request=self.request
        )
        head, tail = page.split(PROGRESS_MARKER, 1)
        done_url = reverse("imports:batch", args=[batch.pk])
        # Read now: the Content-Security-Policy header, which must name the nonce, is written
        # when this view returns, before the streamed scripts are produced.
        nonce = str(self.request.csp_nonce)

        language = get_language()

        def events():
            # Browsers start rendering a streamed page only after a first kilobyte or so.
            yield head + "<!--" + " " * 1024 + "-->\n"
            try:
                # The body is produced after the view returned: keep the user's language for
                # the error messages the check stores.
                with translation.override(language):
                    yield from progress_scripts(
                        execute(batch, path, dry_run=dry_run, kind=kind, encoding=encoding), nonce
                    )
            except Exception:
                logger.exception("import #%s: streaming its progress failed", batch.pk)
            finally:
                if batch.outcome != ImportOutcome.PREVIEWED:
                    storage.delete(batch)
            yield f'<script nonce="{nonce}">Tracker.goTo("{escapejs(done_url)}");</script>\n'
            yield tail

        return StreamingHttpResponse(events(), content_type="text/html; charset=utf-8")


def progress_scripts(events, nonce: str):
    """One small inline script per progress event, allowed by the page's CSP nonce. Closing the
    page closes the import too, at once (not when the garbage collector gets to it), so the
    batch records that it was interrupted."""
    try:
        for event in events:
            yield (
                f'<script nonce="{nonce}">Tracker.showProgress("{escapejs(event.phase)}", '
                f'"{escapejs(event.sheet)}", {event.done}, {event.total});</script>\n'
            )
    finally:
        events.close()


class ImportCheckView(StreamedImportMixin, View):
    """Checks the uploaded file (a dry run) and then shows the preview."""

    def get(self, request, pk):
        batch = get_object_or_404(batches_of(request.user), pk=pk)
        if batch.outcome == ImportOutcome.PENDING and not storage.path_of(batch).exists():
            fail_missing_file(batch)
        if not claim(batch, ImportOutcome.PENDING, ImportOutcome.CHECKING):
            return redirect_to_batch(batch)
        return self.stream(batch, dry_run=True, title=_("Checking %(name)s") % {"name": batch})


class ImportConfirmView(StreamedImportMixin, View):
    """Checks the stored file again and writes it: no second upload, and never twice."""

    def post(self, request, pk):
        batch = get_object_or_404(batches_of(request.user), pk=pk)
        if not storage.path_of(batch).exists() or not claim(
            batch, ImportOutcome.PREVIEWED, ImportOutcome.IMPORTING
        ):
            batch.refresh_from_db()
            if batch.outcome in (ImportOutcome.IMPORTING, ImportOutcome.IMPORTED):
                messages.warning(
                    request,
                    _("Import #%(id)d is already being written, or was: it is not written twice.")
                    % {"id": batch.pk},
                )
            return redirect_to_batch(batch)
        return self.stream(batch, dry_run=False, title=_("Importing %(name)s") % {"name": batch})


def redirect_to_batch(batch):
    return HttpResponseRedirect(reverse("imports:batch", args=[batch.pk]))


class ImportBatchView(ImportPermissionMixin, DetailView):
    """Preview before confirming, or the outcome afterwards: counts, first rows, errors."""

    template_name = "imports/batch.html"
    context_object_name = "batch"

    def get_queryset(self):
        return batches_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        file_kept = storage.path_of(batch).exists()
        if batch.outcome == ImportOutcome.PENDING and not file_kept:
            fail_missing_file(batch)
        context["sheets"] = [
            {"kind": kind, "counts": batch.counts[kind], **batch.preview.get(kind, {})}
            for kind in registry.kinds()
            if kind in batch.counts
        ]
        context["errors"] = batch.errors[:SHOWN_ERRORS]
        context["more_errors"] = max(batch.error_count - SHOWN_ERRORS, 0)
        context["can_confirm"] = batch.outcome == ImportOutcome.PREVIEWED and file_kept
        context["can_check"] = batch.outcome == ImportOutcome.PENDING and file_kept
        context["file_gone"] = batch.outcome == ImportOutcome.PREVIEWED and not file_kept
        context["in_progress"] = batch.outcome in (
            ImportOutcome.CHECKING,
            ImportOutcome.IMPORTING,
        )
        return context


class ImportErrorsView(ImportPermissionMixin, View):
    """Every error of a batch as CSV, however many there are."""

    def get(self, request, pk):
        batch = get_object_or_404(batches_of(request.user), pk=pk)
        rows = ([e["sheet"], e["row"], e["column"], e["value"], e["message"]] for e in batch.errors)
        header = [_("Sheet"), _("Row"), _("Column"), _("Value"), _("Message")]
        return csv_response(export_filename("import-errors", [str(batch.pk)], "csv"), header, rows)


class ImportHistoryView(ImportPermissionMixin, ListView):
    template_name = "imports/history.html"
    context_object_name = "batches"
    paginate_by = 50

    def get_queryset(self):
        return batches_of(self.request.user).defer("errors", "preview")


class ImportTemplateView(ImportPermissionMixin, View):
    def get(self, request):
        response = HttpResponse(template_bytes(get_language()), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="pilot-tracker-import.xlsx"'
        return response


class ImportExportView(LoginRequiredMixin, View):
    """Everything the user may see, in the import format (zone managers may export too)."""

    def get(self, request):
        response = HttpResponse(
            export_workbook(request.user, get_language()), content_type=XLSX_CONTENT_TYPE
        )
        filename = export_filename("pilot-tracker-export", [], "xlsx")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
