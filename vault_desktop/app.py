"""``texture-vault``: the desktop app's entry point.

Opens the vault given by ``--vault``, else the last one used, else the default local vault in the
data dir (created on first start), with no dialog in the way.
"""

from __future__ import annotations

import argparse
import sys

from server_api.core import appdirs

APP_NAME = "Texture Vault"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="texture-vault", description="Texture Vault desktop app")
    parser.add_argument("--vault", metavar="PATH|URL", help="a vault folder or a server URL to open")
    parser.add_argument("--theme", choices=("dark", "light"), help="colour theme (remembered)")
    parser.add_argument("--selfcheck", action="store_true",
                        help="check that this installation can import and thumbnail an image, then exit")
    return parser.parse_args(argv)


def start_uri(explicit: str | None, last: str | None) -> str:
    return explicit or last or str(appdirs.default_vault_path())


def create_window(uri: str, theme: str | None = None):
    """The themed main window, already opening ``uri`` (tests and main() share this)."""
    from PySide6.QtWidgets import QApplication

    from vault_desktop.main_window import MainWindow
    from vault_desktop.settings import Settings
    from vault_desktop.theme import apply_theme

    settings = Settings()
    if theme:
        settings.set_theme(theme)
    apply_theme(QApplication.instance(), settings.theme())
    window = MainWindow(settings)
    window.opener.open_uri(uri)
    return window


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.selfcheck:  # before any window: it must work headless, in the bundle
        from vault_desktop import selfcheck

        return selfcheck.main()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from vault_desktop.dialogs.error_dialog import install_excepthook
    from vault_desktop.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("TextureVault")
    app.setWindowIcon(QIcon.fromTheme("image-x-generic"))
    install_excepthook()
    window = create_window(start_uri(args.vault, Settings().last_vault()), args.theme)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
