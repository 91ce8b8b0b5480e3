from django.urls import path

from notinschool.reports import return_views, views

urlpatterns = [
    path("reports/", views.reports_home, name="reports"),
    path("reports/scorecard/", views.scorecard_page, name="scorecard"),
    path("reports/scorecard.csv", views.scorecard_csv, name="scorecard_csv"),
    path("reports/scorecard.pdf", views.scorecard_download_pdf, name="scorecard_pdf"),
    path("reports/annual/", views.annual_page, name="annual_report"),
    path("reports/annual.pdf", views.annual_download_pdf, name="annual_report_pdf"),
    path("reports/return/", return_views.return_page, name="dfe_return"),
    path("reports/return/children/", return_views.return_children, name="dfe_return_children"),
    path("reports/return.csv", return_views.return_csv, name="dfe_return_csv"),
    path("reports/return.pdf", return_views.return_download_pdf, name="dfe_return_pdf"),
    path("reports/assurance/", return_views.assurance_page, name="assurance"),
    path("reports/assurance.csv", return_views.assurance_csv, name="assurance_csv"),
    path("reports/assurance.pdf", return_views.assurance_download_pdf, name="assurance_pdf"),
    path("reports/assurance/children/", return_views.assurance_children, name="assurance_children"),
]
