"""One program per data folder: ``xxgk-report FILE`` while the window runs opens FILE in that window.

Like Word/WPS. The running window listens on a local socket (a named pipe on Windows) whose name
is derived from the data folder and the user, so two portable copies or two users never meet.
A second start connects, hands over its file, waits for ``ok`` and exits 0; when nobody answers
within :data:`ANSWER_MS` (a crashed window left its socket behind, or it hangs) the second start
carries on as a normal start and takes the socket over.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication

ANSWER_MS = 1500
_OK = b"ok\n"
_MAX_REQUEST = 64 * 1024


def server_name(data_folder: Path) -> str:
    """The socket's name for this data folder and user (short: Unix socket paths are limited)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name (odd Windows set-ups): the folder still tells apart
        user = ""
    key = f"{user}\0{Path(data_folder).expanduser().resolve()}"
    return "xxgk-report-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def hand_over(name: str, path: Path | None, *, timeout_ms: int = ANSWER_MS) -> bool:
    """Ask the running window on ``name`` to open ``path`` (or just to come to the front).

    ``True`` once it answered; ``False`` when no window runs or it did not answer in time.
    """
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    request = {"open": str(path.resolve()) if path is not None else None}
    socket.write(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
    socket.flush()
    answer = b""
    while not answer.endswith(b"\n") and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.abort()
    return answer == _OK


class InstanceServer(QObject):
    """The running window's end: each request becomes ``openRequested(path or None)``."""

    openRequested = Signal(object)  # Path | None

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening; a socket file left by a window that was killed is taken over."""
        if self.server.listen(self.name):
            return True
        # hand_over found nobody answering, so what holds the name is a leftover.
        QLocalServer.removeServer(self.name)
        return self.server.listen(self.name)

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            buffer = bytearray()

            def read(s: QLocalSocket = socket, buf: bytearray = buffer) -> None:
                buf += bytes(s.readAll().data())
                if b"\n" not in buf:
                    if len(buf) > _MAX_REQUEST:
                        s.abort()
                    return
                line = bytes(buf).split(b"\n", 1)[0]
                s.write(_OK)
                s.flush()
                s.disconnectFromServer()
                self._request(line)

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()

    def _request(self, line: bytes) -> None:
        try:
            request = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return
        value = request.get("open") if isinstance(request, dict) else None
        self.openRequested.emit(Path(value) if isinstance(value, str) and value else None)


def when_no_dialog(action: Callable[[], None], parent: QObject, *, interval_ms: int = 300) -> None:
    """Run ``action`` once no modal dialog is open (a file handed over while the clerk answers a question)."""
    if QApplication.activeModalWidget() is None:
        action()
    else:
        QTimer.singleShot(interval_ms, parent, lambda: when_no_dialog(action, parent, interval_ms=interval_ms))
