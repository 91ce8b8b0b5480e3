from django.urls import path

from notinschool.linkage.views import duplicate_detail, duplicates, match_detail, matches

urlpatterns = [
    path("matches/", matches, name="match_queue"),
    path("matches/<uuid:match_id>/", match_detail, name="match_detail"),
    path("matches/duplicates/", duplicates, name="duplicate_queue"),
    path("matches/duplicates/<uuid:pair_id>/", duplicate_detail, name="duplicate_detail"),
]
