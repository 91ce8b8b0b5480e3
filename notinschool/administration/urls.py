from django.urls import path

from notinschool.administration import views

urlpatterns = [
    path("administration/", views.overview, name="administration"),
    path("administration/people/", views.people, name="administration_people"),
    path("administration/people/invite/", views.invite, name="administration_invite"),
    path("administration/people/<int:user_id>/", views.person, name="administration_person"),
    path("administration/people/<int:user_id>/active/", views.person_active,
         name="administration_person_active"),
    path("administration/people/<int:user_id>/two-factor/", views.person_two_factor_reset,
         name="administration_person_two_factor"),
    path("administration/people/<int:user_id>/single-sign-on/", views.person_sso_unlink,
         name="administration_person_sso"),
    path("administration/agencies/", views.agencies, name="administration_agencies"),
    path("administration/agencies/new/", views.agency_edit, name="administration_agency_new"),
    path("administration/agencies/<int:agency_id>/", views.agency_edit, name="administration_agency"),
    path("administration/roles/", views.roles, name="administration_roles"),
    path("administration/settings/", views.settings_page, name="administration_settings"),
]
