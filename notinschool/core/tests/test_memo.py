"""A selector marked `page_memo` answers once per page while the page is put together, and
afresh at any other time."""

from types import SimpleNamespace
from typing import Any

from notinschool.core.memo import page_memo, remembering

asked: list[tuple[Any, ...]] = []


@page_memo
def contacts(*, actor: Any, child: Any, kind: str = "all") -> list[str]:
    asked.append((actor.pk, child.pk, kind))
    return [f"{child.pk}:{kind}:{len(asked)}"]


def a(pk: int) -> SimpleNamespace:
    return SimpleNamespace(pk=pk)


def test_outside_a_page_every_call_reads_again():
    asked.clear()
    child, officer = a(1), a(10)
    first = contacts(actor=officer, child=child)
    second = contacts(actor=officer, child=child)
    assert first != second and len(asked) == 2


def test_while_the_page_is_put_together_the_same_question_is_asked_once():
    asked.clear()
    child, officer, manager = a(1), a(10), a(11)
    with remembering(child):
        first = contacts(actor=officer, child=child)
        assert contacts(actor=officer, child=child) is first
        contacts(actor=manager, child=child)  # another person: asked again
        contacts(actor=officer, child=child, kind="visits")  # another question
        with remembering(child):  # a nested block shares the page's memory
            assert contacts(actor=officer, child=child) is first
        other = a(2)
        contacts(actor=officer, child=other)  # another child, not remembering
        contacts(actor=officer, child=other)
    assert asked == [(10, 1, "all"), (11, 1, "all"), (10, 1, "visits"), (10, 2, "all"), (10, 2, "all")]


def test_after_the_page_a_write_is_seen():
    asked.clear()
    child, officer = a(1), a(10)
    with remembering(child):
        before = contacts(actor=officer, child=child)
    assert contacts(actor=officer, child=child) != before
    assert not hasattr(child, "_page_memo")
