import gc

import pytest

from notinschool.core.collector import collector_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_on_again_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error(collector_on):
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the block failed")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before(collector_on):
    gc.disable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert not gc.isenabled()
    gc.enable()


def test_what_the_block_drops_is_still_freed():
    """Reference counting frees what the block makes and drops; only cycles wait."""
    import weakref

    class Thing:
        pass

    with collector_paused():
        thing = Thing()
        gone = weakref.ref(thing)
        del thing
        assert gone() is None
