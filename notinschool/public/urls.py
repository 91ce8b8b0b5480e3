"""The public pages' addresses: where a family would look for them, at the root (information,
registering a child, telling us of a change, the young people's pages), and the
administrator's page for their words. `PUBLIC_PREFIXES` are the paths anyone may open."""

from django.urls import path

from notinschool.public import views

# slug of the page's words -> its address
INFO_PAGES = {
    "home-education": "home-education/",
    "support": "home-education/support/",
    "health-services": "health-services/",
    "children-missing-education": "tell-us-about-a-child/",
    "privacy": "privacy/",
    "accessibility": "accessibility/",
    "contact": "contact/",
    "young-people": "young-people/",
}

urlpatterns = [
    path("families/", views.index, name="public_index"),
    *[path(address, views.info_page, {"slug": slug}, name="public_page_" + slug.replace("-", "_"))
      for slug, address in INFO_PAGES.items()],
    path("register-a-child/", views.register_start, name="public_register_start"),
    path("register-a-child/child/", views.register_child, name="public_register_child"),
    path("register-a-child/address/", views.register_address, name="public_register_address"),
    path("register-a-child/parents/", views.register_parents, name="public_register_parents"),
    path("register-a-child/education/", views.register_education, name="public_register_education"),
    path("register-a-child/check/", views.register_check, name="public_register_check"),
    path("register-a-child/sent/", views.register_done, name="public_register_done"),
    path("tell-us-about-a-change/", views.change_code, name="public_change_code"),
    path("tell-us-about-a-change/what-has-changed/", views.change_details, name="public_change_details"),
    path("tell-us-about-a-change/sent/", views.change_done, name="public_change_done"),
    path("young-people/your-views/", views.views_code, name="public_views_code"),
    path("young-people/your-views/write/", views.views_write, name="public_views_write"),
    path("young-people/your-views/sent/", views.views_done, name="public_views_done"),
    path("public-pages/", views.page_list, name="public_page_list"),
    path("public-pages/<slug:slug>/", views.page_edit, name="public_page_edit"),
]

PUBLIC_PREFIXES = ("/families/", "/home-education/", "/health-services/", "/tell-us-about-a-child/",
                   "/privacy/", "/accessibility/", "/contact/", "/young-people/", "/register-a-child/",
                   "/tell-us-about-a-change/")
