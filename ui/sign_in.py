"""Sign in (first run, or after too long offline) and unlock (every later start, after idle).

Both are pages of the main window, not modal dialogs, so an error shows inline
and what was typed (never the password) stays where it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from domain.errors import FieldcaseError
from ui.widgets import ErrorBanner, named


def _card(title: str, intro: str) -> tuple[QWidget, QVBoxLayout]:
    """A centred, fixed-width panel: sign-in forms read badly stretched across a screen."""
    outer = QWidget()
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    frame.setMaximumWidth(560)
    inner = QVBoxLayout(frame)
    heading = QLabel(title)
    heading.setStyleSheet("font-size:18pt; font-weight:bold;")
    words = QLabel(intro)
    words.setWordWrap(True)
    inner.addWidget(heading)
    inner.addWidget(words)
    row = QHBoxLayout(outer)
    row.addStretch(1)
    row.addWidget(frame, 3)
    row.addStretch(1)
    return outer, inner


class SignInScreen(QWidget):
    sign_in_requested = Signal(str, str, str)  # server, username, password
    cancel_requested = Signal()

    def __init__(self, server_url: str = "", username: str = "") -> None:
        super().__init__()
        card, layout = _card(
            "Sign in to Fieldcase",
            "Sign in once with a connection; your caseload is then kept, encrypted, on this "
            "laptop and you can work without a network.",
        )
        self.banner = ErrorBanner()
        self.server = named(QLineEdit(server_url), "Server address")
        self.server.setPlaceholderText("https://…")
        self.username = named(QLineEdit(username), "Username")
        self.password = named(QLineEdit(), "Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.submit = named(QPushButton("Sign in"), "Sign in")
        self.submit.setDefault(True)
        self.progress = named(QProgressBar(), "Download progress")
        self.progress.hide()
        self.progress_words = named(QLabel(""), "Download status")
        self.cancel = named(QPushButton("Cancel download"), "Cancel download")
        self.cancel.hide()
        form = QFormLayout()
        form.addRow("Server address", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.submit)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_words)
        layout.addWidget(self.cancel)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card)
        outer.addStretch(2)
        self.submit.clicked.connect(self._submit)
        for field in (self.server, self.username, self.password):
            field.returnPressed.connect(self._submit)
        self.cancel.clicked.connect(self.cancel_requested)
        self.setTabOrder(self.server, self.username)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.submit)

    def focus_first_empty(self) -> None:
        for field in (self.server, self.username, self.password):
            if not field.text():
                field.setFocus()
                return
        self.password.setFocus()

    def _submit(self) -> None:
        server, user = self.server.text().strip(), self.username.text().strip()
        if not (server and user and self.password.text()):
            self.banner.show_text(
                "Please check this", "Enter the server address, your username and password."
            )
            self.focus_first_empty()
            return
        self.banner.hide()
        self.set_busy(True)
        self.progress_words.setText("Signing in…")
        self.sign_in_requested.emit(server, user, self.password.text())

    def set_busy(self, busy: bool) -> None:
        for widget in (self.server, self.username, self.password, self.submit):
            widget.setEnabled(not busy)

    def show_error(self, error: FieldcaseError) -> None:
        self.set_busy(False)
        self.progress.hide()
        self.cancel.hide()
        self.progress_words.setText("")
        self.password.clear()
        self.banner.show_error(error)
        self.password.setFocus()

    def show_progress(self, done: int, total: int) -> None:
        """First sync: how much of the caseload has arrived; Cancel keeps what came."""
        self.progress.show()
        self.cancel.show()
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress_words.setText(
            f"Downloading your caseload: {done} of {total}. You can cancel and carry on later."
        )


class UnlockScreen(QWidget):
    unlock_requested = Signal(str)
    sign_in_instead = Signal()

    def __init__(self) -> None:
        super().__init__()
        card, layout = _card(
            "Fieldcase is locked",
            "Enter your password to unlock the cases on this laptop. No connection is needed.",
        )
        self.who = named(QLabel(""), "Signed in as")
        self.banner = ErrorBanner()
        self.password = named(QLineEdit(), "Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.submit = named(QPushButton("Unlock"), "Unlock")
        self.submit.setDefault(True)
        self.online = named(QPushButton("Sign in online instead"), "Sign in online instead")
        self.online.setFlat(True)
        password_label = QLabel("&Password")
        password_label.setBuddy(self.password)  # read out with the field; Alt+P goes there
        layout.addWidget(self.who)
        layout.addWidget(self.banner)
        layout.addWidget(password_label)
        layout.addWidget(self.password)
        layout.addWidget(self.submit)
        layout.addWidget(self.online, 0, Qt.AlignmentFlag.AlignLeft)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card)
        outer.addStretch(2)
        self.password.returnPressed.connect(self._submit)
        self.submit.clicked.connect(self._submit)
        self.online.clicked.connect(self.sign_in_instead)

    def prepare(self, username: str) -> None:
        self.who.setText(f"Signed in as {username}" if username else "")
        self.password.clear()
        self.set_busy(False)
        self.password.setFocus()

    def _submit(self) -> None:
        if not self.password.text():
            self.banner.show_text("Please check this", "Enter your password.")
            return
        self.banner.hide()
        self.set_busy(True)
        self.unlock_requested.emit(self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.submit.setEnabled(not busy)
        self.submit.setText("Unlocking…" if busy else "Unlock")

    def show_error(self, error: FieldcaseError) -> None:
        self.set_busy(False)
        self.password.clear()
        self.banner.show_error(error)
        self.password.setFocus()
