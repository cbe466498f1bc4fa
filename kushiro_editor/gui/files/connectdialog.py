"""ファイル → データベースに接続…: the shared store on a PostgreSQL server.

The dialog asks for the server, port, database and login, the TLS setting
and its root certificate, and a password for this connection only. The
password is never kept in the editor's settings: if the clerk asks, it goes
into PostgreSQL's own password file (:mod:`...core.server.pgpass`), which
libpq reads the next time. A connection that cannot be made is one line in
the dialog, which stays open to correct it; the window stays on its store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.model import ReportError
from ...core.server.address import DEFAULT_PORT, SSL_MODES, Address
from ..editor.entrywidgets import tint
from ..shared.buttons import ok_cancel
from ..shared.fit import fit_to_screen

logger = logging.getLogger(__name__)

# What each TLS mode does, as the clerk reads it (libpq's name in brackets).
SSL_LABELS = {
    "verify-full": "暗号化し、証明書でサーバーを確かめる",
    "verify-ca": "暗号化し、証明書の発行元だけ確かめる",
    "require": "暗号化する(サーバーは確かめない)",
    "prefer": "できれば暗号化する",
    "disable": "暗号化しない",
}


class ConnectDialog(QDialog):
    """The server, database and login of a shared store, and how to reach it.

    ``connect`` is called on OK with the address and the password typed; it
    raises ReportError (one line, shown in the dialog) when the connection
    cannot be made.
    """

    def __init__(
        self,
        connect: Callable[[Address, str, bool], None],
        address: Address | None,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.connect_to = connect
        self.setWindowTitle(self.tr("データベースに接続"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "複数の人が同時に編集する共有のデータベース(PostgreSQL)に接続します。"
                "接続先は情報システムの担当から受け取ってください。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit()
        self.host.setPlaceholderText(self.tr("例: db.city.local"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.dbname = QLineEdit()
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("空欄なら PostgreSQL のパスワードファイルから"))
        self.save_password = QCheckBox(
            self.tr("パスワードを PostgreSQL のパスワードファイルに保存する(&S)")
        )
        self.save_password.setEnabled(False)
        self.password.textChanged.connect(lambda text: self.save_password.setEnabled(bool(text)))
        self.sslmode = QComboBox()
        for mode in SSL_MODES:
            self.sslmode.addItem(f"{self.tr(SSL_LABELS[mode])}({mode})", mode)
        self.sslmode.setCurrentIndex(SSL_MODES.index("prefer"))
        self.rootcert = QLineEdit()
        self.rootcert.setPlaceholderText(self.tr("サーバーの管理者から受け取った root.crt"))
        self.rootcert.editingFinished.connect(self._certificate_given)
        self.choose = QPushButton(self.tr("選ぶ(&F)…"))
        self.choose.clicked.connect(self.choose_certificate)
        certificate = QHBoxLayout()
        certificate.addWidget(self.rootcert, 1)
        certificate.addWidget(self.choose)
        self.port.setMaximumWidth(self.port.sizeHint().width() * 2)
        for text, widget, field in (
            (self.tr("サーバー(&H):"), self.host, self.host),
            (self.tr("ポート(&P):"), self.port, self.port),
            (self.tr("データベース(&D):"), self.dbname, self.dbname),
            (self.tr("ログイン名(&L):"), self.user, self.user),
            (self.tr("パスワード(&W):"), self.password, self.password),
            ("", self.save_password, None),
            (self.tr("TLS(&T):"), self.sslmode, self.sslmode),
            (self.tr("ルート証明書(&C):"), certificate, self.rootcert),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        tint(self.error, "#b00020", bold=False)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = ok_cancel(self, self.tr("接続"))
        self.ok_button = buttons.ok
        layout.addWidget(buttons)
        if address is not None:
            self.show_address(address)
        fit_to_screen(self, QSize(560, self.sizeHint().height()))

    def show_address(self, address: Address) -> None:
        """Fill the fields (a store connected to before); the password stays empty."""
        self.host.setText(address.host)
        self.port.setValue(address.port)
        self.dbname.setText(address.dbname)
        self.user.setText(address.user)
        self.rootcert.setText(address.sslrootcert)
        mode = address.sslmode or ("verify-full" if address.sslrootcert else "prefer")
        self.sslmode.setCurrentIndex(SSL_MODES.index(mode) if mode in SSL_MODES else 0)

    def address(self) -> Address:
        """What the fields say (unchecked)."""
        return Address(
            self.host.text().strip(),
            self.port.value(),
            self.dbname.text().strip(),
            self.user.text().strip(),
            str(self.sslmode.currentData()),
            self.rootcert.text().strip(),
        )

    def choose_certificate(self) -> None:
        """The root certificate file, chosen in a file dialog."""
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("ルート証明書"),
            str(Path(self.rootcert.text()).parent) if self.rootcert.text() else str(Path.home()),
            self.tr("証明書 (*.crt *.pem *.cer);;すべてのファイル (*)"),
        )
        if name:
            self.rootcert.setText(name)
            self._certificate_given()

    def _certificate_given(self) -> None:
        # A root certificate is given to check the server with: check it fully.
        if self.rootcert.text().strip() and not str(self.sslmode.currentData()).startswith(
            "verify"
        ):
            self.sslmode.setCurrentIndex(SSL_MODES.index("verify-full"))

    def show_error(self, message: str) -> None:
        """One line under the fields; the dialog stays open to correct them."""
        self.error.setText(message)
        self.error.show()
        # The keyboard goes where the correction is typed: a refused password is
        # selected, to be typed again over it; anything else starts again at the server.
        field = self.password if "パスワード" in message and self.password.text() else self.host
        field.setFocus()
        field.selectAll()

    def accept(self) -> None:
        """接続: connect, and close only once the window is on the server."""
        try:
            address = self.address().checked()
            self.connect_to(address, self.password.text(), self.save_password.isChecked())
        except ReportError as exc:
            self.show_error(str(exc))
            return
        self.password.clear()  # (not kept in the dialog either)
        super().accept()
