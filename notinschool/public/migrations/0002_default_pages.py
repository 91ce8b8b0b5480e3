"""The information pages' first words (public/defaults.py), each with its version 1."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from notinschool.public.defaults import PAGES

    page_text = apps.get_model("public", "PageText")
    version = apps.get_model("public", "PageTextVersion")
    for entry in PAGES:
        if page_text.objects.filter(slug=entry["slug"]).exists():
            continue
        page = page_text.objects.create(slug=entry["slug"], title=entry["title"], summary=entry["summary"],
                                        body=entry["body"], order=entry["order"], version=1)
        version.objects.create(page=page, number=1, title=page.title, body=page.body)


class Migration(migrations.Migration):
    dependencies = [("public", "0001_pages_and_submissions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
