"""Shared helpers for the Python tests (not a test module: no test_ prefix)."""


async def expect(exc_type, awaitable, why=""):
    """Awaits and returns the exception of exc_type it must raise."""
    try:
        await awaitable
    except exc_type as e:
        assert str(e), "errors carry a message"
        return e
    raise AssertionError(why or f"expected {exc_type.__name__}")
