"""URLs of the import pages, mounted at ``/import/`` by ``tracker/urls.py``."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="upload"),
    path("template.xlsx", views.ImportTemplateView.as_view(), name="template"),
    path("export.xlsx", views.ImportExportView.as_view(), name="export"),
    path("history/", views.ImportHistoryView.as_view(), name="history"),
    path("<int:pk>/", views.ImportBatchView.as_view(), name="batch"),
    path("<int:pk>/check/", views.ImportCheckView.as_view(), name="check"),
    path("<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="confirm"),
    path("<int:pk>/status.json", views.ImportStatusView.as_view(), name="status"),
    path("<int:pk>/errors.csv", views.ImportErrorsView.as_view(), name="errors"),
]
