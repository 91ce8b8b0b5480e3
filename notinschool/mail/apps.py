from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "notinschool.mail"
    label = "mail"
