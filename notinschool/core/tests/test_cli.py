"""The `notinschool` command as a user meets it: the installed console script, run in an empty
folder. Its help lists the project's commands by group before Django's, names `--as-of` and
`--version`; help, the version and an unknown command create no database."""

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from notinschool import cli

NOTINSCHOOL = Path(sys.executable).parent / "notinschool"
GROUP_ORDER = ["intake", "linkage", "risk", "reports", "casework", "admin", "demo"]


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *argv: str) -> subprocess.CompletedProcess[str]:
    """`notinschool ARGV...` in `tmp_path`, with the settings and database a user has there."""
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "NOTINSCHOOL_AS_OF"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    return subprocess.run([str(NOTINSCHOOL), *argv], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=False)


def databases(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*.sqlite3*"))


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith(" ")]


@pytest.fixture(scope="module")
def help_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    with pytest.MonkeyPatch.context() as monkeypatch:
        done = run(tmp_path_factory.mktemp("help"), monkeypatch, "--help")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_help_lists_the_project_commands_by_group_in_order_then_djangos(help_output):
    found = headings(help_output)
    groups = [heading for heading in found if heading in GROUP_ORDER]
    assert groups == GROUP_ORDER
    assert found.index("demo") < found.index("options (before the command)") < found.index(
        "Django's commands")
    project, django = help_output.split("Django's commands")
    for command, group in [("import", "intake"), ("link", "linkage"), ("assess", "risk"),
                           ("export", "reports"), ("allocate_social_worker", "casework"),
                           ("send_daily_summaries", "casework"), ("api_key", "admin"),
                           ("seed_demo_users", "admin"), ("migrate", "admin"), ("synth", "demo"),
                           ("demo_load", "demo"), ("truth_check", "demo")]:
        section = project.split(f"\n{group}\n", 1)[1].split("\n\n", 1)[0]
        assert re.search(rf"^  {command} ", section, re.MULTILINE), (command, group)
    for command in ("check", "runserver", "shell", "createsuperuser"):
        assert re.search(rf"\b{command}\b", django), command
        assert not re.search(rf"^  {command} ", project, re.MULTILINE), command
    assert not re.search(r"\bmigrate\b", django)  # listed once, under admin


def test_each_project_command_is_described_by_its_own_help_text(help_output):
    commands = get_commands()
    flat = " ".join(help_output.split())
    for name in ("import", "link", "assess", "export", "api_key", "synth"):
        first_sentence = re.split(r"(?<=\.)\s", str(load_command_class(commands[name], name).help))[0]
        assert f"{name} {first_sentence}" in flat, name


def test_help_names_the_global_options(help_output):
    assert re.search(r"^  --as-of YYYY-MM-DD +fixes \"today\" for deadlines and due dates$", help_output,
                     re.MULTILINE)
    assert re.search(r"^  --version +prints notinschool's version$", help_output, re.MULTILINE)
    assert help_output.startswith("usage: notinschool [--as-of YYYY-MM-DD] COMMAND [ARGS...]\n")


@pytest.mark.parametrize("argv", [["-h"], [], ["help"], ["--as-of", "2026-11-23", "--help"]])
def test_every_way_of_asking_for_help_gives_the_same_list(argv, help_output, tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, *argv)
    assert (done.returncode, done.stdout) == (0, help_output)
    assert databases(tmp_path) == []


def test_version_is_the_installed_packages(tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, "--version")
    expected = f"notinschool {metadata.version('notinschool')}\n"
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")
    assert re.fullmatch(r"notinschool \d+\.\d+\.\d+\n", done.stdout)


@pytest.mark.parametrize("argv", [["--help"], ["export", "--help"], ["help", "import"], ["--help", "assess"],
                                  ["--version"], ["--as-of", "2026-11-23", "link", "-h"]])
def test_help_and_version_create_no_database(argv, tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, *argv)
    assert done.returncode == 0, done.stderr
    assert done.stdout
    assert databases(tmp_path) == []


def test_a_commands_own_help_is_djangos_parser(tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, "import", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: notinschool import ")
    assert "--skip-invalid" in done.stdout
    assert databases(tmp_path) == []


def test_djangos_commands_still_run(tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, "runserver", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: notinschool runserver ")


def test_an_unknown_command_fails_with_a_message_and_no_database(tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, "--as-of", "2026-11-23", "no_such_command")
    assert done.returncode != 0
    assert "Unknown command: 'no_such_command'" in done.stderr
    assert databases(tmp_path) == []


@pytest.mark.parametrize("argv", [["--as-of", "23/11/2026", "assess"], ["--as-of"]])
def test_a_bad_as_of_date_is_bad_input(argv, tmp_path, monkeypatch):
    done = run(tmp_path, monkeypatch, *argv)
    assert done.returncode == 2
    assert done.stderr.startswith("notinschool: --as-of wants a date as YYYY-MM-DD")
    assert databases(tmp_path) == []


def test_groups_follow_the_command_not_its_app():
    """Commands moving to the workflow app keep their groups; a command in a domain app that the
    table does not name goes by its app; any other of the project's commands goes to "other";
    Django's and its add-ons' are listed after."""
    commands = {
        "import": "notinschool.workflow", "link": "notinschool.workflow",
        "assess": "notinschool.workflow", "demo_load": "notinschool.workflow",
        "synth": "notinschool.workflow", "truth_check": "notinschool.workflow",
        "seed_demo_users": "notinschool.workflow", "export": "notinschool.reports",
        "send_daily_summaries": "notinschool.casework", "api_key": "notinschool.api",
        "reassign": "notinschool.casework", "tidy": "notinschool.workflow", "odd": "notinschool",
        "migrate": "django.core", "check": "django.core", "axes_reset": "axes",
    }
    grouped, others = cli.command_groups(commands)
    assert grouped == {
        "intake": ["import"],
        "linkage": ["link"],
        "risk": ["assess"],
        "reports": ["export"],
        "casework": ["send_daily_summaries", "reassign"],
        "admin": ["api_key", "seed_demo_users", "migrate"],
        "demo": ["synth", "demo_load", "truth_check"],
        "other": ["odd", "tidy"],
    }
    assert others == ["axes_reset", "check"]


def test_every_installed_project_command_is_listed():
    grouped, others = cli.command_groups(get_commands())
    listed = {name for names in grouped.values() for name in names}
    project = {name for name, app in get_commands().items() if app.startswith("notinschool")}
    assert project <= listed
    assert not listed & set(others)


def test_a_command_that_does_not_load_is_still_listed():
    text = cli.help_text({"import": "notinschool.nowhere", "check": "django.core"})
    assert re.search(r"^  import +\(does not load: ModuleNotFoundError\)$", text, re.MULTILINE)


@pytest.mark.parametrize(("argv", "migrates"), [
    (["assess"], True), (["import", "roll-deletions", "file.csv"], True), (["runserver"], True),
    (["import", "--help"], False), (["assess", "-h"], False), (["check", "--version"], False),
    (["help", "import"], False), (["migrate"], False), (["makemigrations"], False),
    (["no_such_command"], False), (["synth", "--out", "data"], False),
])
def test_only_real_commands_migrate_sqlite_first(argv, migrates):
    assert cli.migrates_first(argv) is migrates


@pytest.mark.parametrize(("command", "niceness"), [("import", 7), ("link", 7), ("db_worker", 7),
                                                   ("runserver", 0), ("migrate", 0)])
def test_batch_commands_give_way_to_the_pages(command, niceness, tmp_path, monkeypatch):
    """With NOTINSCHOOL_BATCH_NICE (production: 10), an import, a linking run or the worker runs
    at a lower CPU priority than the web processes; a person's own commands do not."""
    monkeypatch.setenv("NOTINSCHOOL_BATCH_NICE", "7")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "config.settings.local")
    code = ("import django, os; django.setup(); from notinschool import cli; "
            f"start = os.nice(0); print(cli.batch_priority({command!r}) - start)")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[3],
                          capture_output=True, text=True, timeout=120, check=True)
    assert int(done.stdout.strip()) == niceness


def test_every_batch_command_is_a_real_command():
    assert set(get_commands()) >= cli.BATCH_COMMANDS
