from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "notinschool.accounts"
    label = "accounts"
