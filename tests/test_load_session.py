"""loaders.graph.sessions: Ctrl-C during a load stays an interrupt, whatever closing the session then does."""

from __future__ import annotations

from typing import Any

import pytest

from loaders.graph.sessions import load_session


class _Session:
    def __init__(self, fails: bool) -> None:
        self.fails, self.closed = fails, 0

    def close(self) -> None:
        self.closed += 1
        if self.fails:  # what the driver raised when Ctrl-C landed while it read a message
            raise BufferError("Existing exports of data: object cannot be re-sized")


class _Connection:
    database = None

    def __init__(self, session: _Session) -> None:
        self.driver: Any = type("Driver", (), {"session": lambda _self, database=None: session})()


def test_an_interrupt_stays_an_interrupt_when_closing_the_session_fails() -> None:
    session = _Session(fails=True)
    with pytest.raises(KeyboardInterrupt), load_session(_Connection(session)):  # type: ignore[arg-type]
        raise KeyboardInterrupt
    assert session.closed == 1


def test_other_errors_and_a_normal_end_close_the_session_as_usual() -> None:
    session = _Session(fails=False)
    with load_session(_Connection(session)):  # type: ignore[arg-type]
        pass
    with pytest.raises(ValueError), load_session(_Connection(session)):  # type: ignore[arg-type]
        raise ValueError("a load's own error")
    assert session.closed == 2
    failing = _Session(fails=True)
    with pytest.raises(BufferError), load_session(_Connection(failing)):  # type: ignore[arg-type]
        pass
