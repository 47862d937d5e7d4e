from django.urls import path

from reporting import views as report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_index, name="index"),
    path("<int:year>/", report_views.report_detail, name="detail"),
    path("<int:year>/records.csv", report_views.records_csv, name="records-csv"),
    path("<int:year>/summary.csv", report_views.summary_csv, name="summary-csv"),
    path("<int:year>/report.xlsx", report_views.report_xlsx, name="report-xlsx"),
    path("<int:year>/report.pdf", report_views.report_pdf, name="report-pdf"),
]
