from django.apps import AppConfig


class MovesConfig(AppConfig):
    name = "notinschool.moves"
    label = "moves"
