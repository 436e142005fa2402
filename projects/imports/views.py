"""Bulk import from Excel/CSV: template download, upload, preview, confirm, history, export.

The flow, scriptable as plain HTTP: upload (POST; the file goes to the ``imports`` storage
under the batch's id and its check is sent to the job queue) → the batch page, which polls
``status.json`` while the job runs and shows the preview when it is done (counts per sheet,
each update as field: old → new, every error, warnings to acknowledge) → confirm (POST; the
stored file is checked again, the data may have changed meanwhile, and written, again as a
job) → the batch page with the outcome. Each job first claims its batch (pending → checking,
previewed → importing) with one conditional UPDATE: a double click, a second tab or a replayed
POST never runs a step twice, and is told so.
"""

import hashlib
import logging
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from tracker.exports import XLSX_CONTENT_TYPE, csv_response, export_filename

from . import storage, tasks
from .choices import ImportOutcome
from .exporting import export_workbook
from .forms import ConfirmForm, ImportUploadForm
from .models import ImportBatch
from .permissions import import_batches_visible_to, may_import
from .registry import registry
from .service import claim, expire
from .workbook_template import template_bytes

logger = logging.getLogger(__name__)
SHOWN_ERRORS = 1000
RUNNING = (ImportOutcome.CHECKING, ImportOutcome.IMPORTING)
QUEUE_DOWN = _(
    "The job queue cannot be reached just now; nothing was started. Try again in a minute."
)


class ImportPermissionMixin(LoginRequiredMixin):
    """Platform staff and superusers import; anybody else signed in (a zone manager) gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_import(request.user):
            raise PermissionDenied(_("Only platform staff and administrators may import."))
        return super().dispatch(request, *args, **kwargs)


def batches_of(user):
    """The import batches a user may look at (``access.import_batches_visible_to``)."""
    return import_batches_visible_to(ImportBatch.objects.select_related("user"), user)


class ImportUploadView(ImportPermissionMixin, FormView):
    template_name = "imports/upload.html"
    form_class = ImportUploadForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        batch = ImportBatch.objects.create(
            user=self.request.user,
            file_name=Path(upload.name).name[:255],
            kind=form.cleaned_data["kind"]
            or ("workbook" if upload.name.lower().endswith(".xlsx") else "csv"),
            dry_run=True,
            checksum=digest.hexdigest(),
            encoding=form.cleaned_data["encoding"] or "",
            language=get_language() or "",
        )
        storage.save(batch, upload)
        return start_job(self.request, batch, dry_run=True)


def start_job(request, batch, *, dry_run: bool):
    """Claim the batch for its next step and send the job; → the batch page either way."""
    expected, claimed = (
        (ImportOutcome.PENDING, ImportOutcome.CHECKING)
        if dry_run
        else (ImportOutcome.PREVIEWED, ImportOutcome.IMPORTING)
    )
    if not storage.exists(batch) and expire(batch, expected):
        pass  # the batch page says so and offers to upload again
    elif claim(batch, expected, claimed):
        try:
            tasks.start(batch, dry_run=dry_run)
        except Exception:
            messages.error(request, QUEUE_DOWN)
    elif not dry_run:
        batch.refresh_from_db()
        if batch.outcome in (ImportOutcome.IMPORTING, ImportOutcome.IMPORTED):
            messages.warning(
                request,
                _("Import #%(id)d is already being written, or was: it is not written twice.")
                % {"id": batch.pk},
            )
    return redirect_to_batch(batch)


class ImportCheckView(ImportPermissionMixin, View):
    """Starts the check of an uploaded file that is still waiting for it (its first job could
    not be queued)."""

    def post(self, request, pk):
        batch = get_object_or_404(batches_of(request.user), pk=pk)
        return start_job(request, batch, dry_run=True)

    def get(self, request, pk):
        return redirect_to_batch(get_object_or_404(batches_of(request.user), pk=pk))


class ImportConfirmView(ImportPermissionMixin, View):
    """Checks the stored file again and writes it: no second upload, and never twice. A
    preview with warnings is confirmed only with the box that acknowledges them ticked."""

    def post(self, request, pk):
        batch = get_object_or_404(batches_of(request.user), pk=pk)
        form = ConfirmForm(request.POST, batch=batch)
        if batch.outcome == ImportOutcome.PREVIEWED and not form.is_valid():
            for error in form.errors.get("acknowledge", []):
                messages.error(request, error)
            return redirect_to_batch(batch)
        if batch.warnings and batch.outcome == ImportOutcome.PREVIEWED:
            ImportBatch.objects.filter(pk=batch.pk, outcome=ImportOutcome.PREVIEWED).update(
                warnings_acknowledged=True
            )
        ImportBatch.objects.filter(pk=batch.pk).update(language=get_language() or "")
        batch.language = get_language() or ""
        return start_job(request, batch, dry_run=False)


def redirect_to_batch(batch):
    return HttpResponseRedirect(reverse("imports:batch", args=[batch.pk]))


class ImportStatusView(ImportPermissionMixin, View):
    """Where the batch's job is, as JSON, for the batch page's poll (and for scripts)."""

    def get(self, request, pk):
        batch = get_object_or_404(
            batches_of(request.user).defer("errors", "preview", "counts"), pk=pk
        )
        progress = tasks.progress_of(batch) if batch.outcome in RUNNING else {}
        phase = progress.get("progress_phase", "")
        return JsonResponse(
            {
                "id": batch.pk,
                "outcome": batch.outcome,
                "outcome_label": str(batch.get_outcome_display()),
                "running": batch.outcome in RUNNING,
                # sent, and no worker has taken it yet (none running, or all busy)
                "queued": batch.outcome in RUNNING and batch.job_started_at is None,
                "phase": phase,
                "phase_label": str(PHASES.get(phase, "")),
                "sheet": progress.get("progress_sheet", ""),
                "done": progress.get("progress_done", 0),
                "total": progress.get("progress_total", 0),
                "error_count": batch.error_count,
                "url": reverse("imports:batch", args=[batch.pk]),
            }
        )


PHASES = {"check": _("Checking"), "write": _("Writing")}


class ImportBatchView(ImportPermissionMixin, DetailView):
    """Preview before confirming, or the outcome afterwards: counts, first rows, errors."""

    template_name = "imports/batch.html"
    context_object_name = "batch"

    def get_queryset(self):
        return batches_of(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        waiting = batch.outcome in (ImportOutcome.PENDING, ImportOutcome.PREVIEWED)
        if waiting and not storage.exists(batch):
            expire(batch, batch.outcome)  # says so below, and offers to upload again
        context["sheets"] = [
            {"kind": kind, "counts": batch.counts[kind], **batch.preview.get(kind, {})}
            for kind in registry.kinds()
            if kind in batch.counts
        ]
        context["skipped_sheets"] = batch.preview.get("skipped_sheets", [])
        context["errors"] = batch.errors[:SHOWN_ERRORS]
        context["more_errors"] = max(batch.error_count - SHOWN_ERRORS, 0)
        context["can_confirm"] = batch.outcome == ImportOutcome.PREVIEWED
        context["can_check"] = batch.outcome == ImportOutcome.PENDING
        context["expired"] = batch.outcome == ImportOutcome.EXPIRED
        context["in_progress"] = batch.outcome in RUNNING
        context["confirm_form"] = ConfirmForm(batch=batch)
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
