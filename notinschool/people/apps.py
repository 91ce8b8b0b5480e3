from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "notinschool.people"
    label = "people"
