from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "notinschool.letters"
    label = "letters"
