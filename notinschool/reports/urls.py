from django.urls import path

from notinschool.reports import views

urlpatterns = [
    path("reports/", views.reports_home, name="reports"),
    path("reports/scorecard/", views.scorecard_page, name="scorecard"),
    path("reports/scorecard.csv", views.scorecard_csv, name="scorecard_csv"),
    path("reports/scorecard.pdf", views.scorecard_download_pdf, name="scorecard_pdf"),
]
