"""The briefing pack's downloads: ``/reports/briefing.docx`` and ``/reports/report.xlsx``.

They take the page's query parameters (``ScopedReportMixin``: the same form, limited to what the
user may see), so the pack is the report on the screen; an invalid scope is a 400 with the
form's errors, as for the JSON. The documents are built in ``documents/``.
"""

from django.http import HttpResponse, JsonResponse
from django.views.generic import View

from tracker import exports

from .documents.docx import briefing_docx
from .documents.xlsx import report_xlsx
from .views import ScopedReportMixin

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PackDownloadView(ScopedReportMixin, View):
    """A document of the report in scope: ``build(report)`` → bytes."""

    stem = ""
    extension = ""
    content_type = ""

    def build(self, report) -> bytes:
        raise NotImplementedError

    def get(self, request):
        form = self.get_form()
        report = self.get_report(form)
        if report is None:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        filename = exports.export_filename(self.stem, report.scope.parts(), self.extension)
        response = HttpResponse(self.build(report), content_type=self.content_type)
        response["Content-Disposition"] = exports.attachment(filename)
        return response


class BriefingDocxView(PackDownloadView):
    stem, extension, content_type = "briefing", "docx", DOCX_CONTENT_TYPE

    def build(self, report) -> bytes:
        return briefing_docx(report)


class ReportXlsxView(PackDownloadView):
    stem, extension, content_type = "report", "xlsx", exports.XLSX_CONTENT_TYPE

    def build(self, report) -> bytes:
        return report_xlsx(report)
