"""URLs of reporting rounds, mounted at /returns/ by ``tracker/urls.py``."""

from django.urls import path

from . import review_views, views

app_name = "returns"

RETURN = "<str:code>/<int:platform_pk>/"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="round_list"),
    path("open/", views.RoundOpenView.as_view(), name="round_open"),
    path("<str:code>/", views.RoundBoardView.as_view(), name="round_board"),
    path("<str:code>/status.json", views.RoundStatusJsonView.as_view(), name="round_status"),
    path("<str:code>/export.xlsx", views.RoundExportView.as_view(), name="round_export"),
    path(RETURN, views.ReturnDetailView.as_view(), name="return_detail"),
    path(RETURN + "print/", views.ReturnPrintView.as_view(), name="return_print"),
    path(RETURN + "evidence/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path(
        RETURN + "evidence/<int:evidence_pk>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence_download",
    ),
    path(RETURN + "submit/", views.ReturnSubmitView.as_view(), name="return_submit"),
    path(RETURN + "approve/", review_views.ReturnApproveView.as_view(), name="return_approve"),
    path(RETURN + "return/", review_views.ReturnSendBackView.as_view(), name="return_send_back"),
    path(RETURN + "reopen/", review_views.ReturnReopenView.as_view(), name="return_reopen"),
]
