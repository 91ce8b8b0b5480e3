from django.urls import path

from notinschool.web.views_duplicates import duplicate_detail, duplicates
from notinschool.web.views_matches import match_detail, matches

urlpatterns = [
    path("matches/", matches, name="match_queue"),
    path("matches/<uuid:match_id>/", match_detail, name="match_detail"),
    path("matches/duplicates/", duplicates, name="duplicate_queue"),
    path("matches/duplicates/<uuid:pair_id>/", duplicate_detail, name="duplicate_detail"),
]
