"""The shortcut sheet (F1 or ?): every action of the window with its keys, by menu."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from stancemark.ui.actions import MENUS, WindowActions, key_text

PICKER_KEYS = (
    ("Actor picker", "Type to filter · ↑/↓ choose · Enter pick · Esc cancel"),
    ("New actor type", "The type's letter (P person, O organisation …) or ↑/↓ and Enter"),
    ("Selecting text", "Mouse selections snap to whole words; hold Alt for exact characters"),
    ("Highlights", "Click one to select it in the panel; hover for what it is"),
)


class ShortcutSheetDialog(QDialog):
    """A read-only table of actions and keys, built from the same specs as the menus."""

    def __init__(self, actions: WindowActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutSheet")
        self.browser = QTextBrowser(self)
        self.browser.setHtml(sheet_html(actions))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 720)


def sheet_html(actions: WindowActions) -> str:
    sections: dict[str, list[tuple[str, str]]] = {}
    for menu in MENUS:
        for spec in actions.in_menu(menu):
            keys = key_text(spec)
            if keys:
                sections.setdefault(spec.section or menu, []).append(
                    (spec.text.replace("&", "").rstrip("…"), keys))
    parts = ["<style>td{padding:2px 10px 2px 0} .k{font-family:monospace; color:#1f4e79}</style>"]
    for title, rows in sections.items():
        parts.append(f"<h3>{html.escape(title)}</h3><table>")
        parts += [f"<tr><td class='k'>{html.escape(k)}</td><td>{html.escape(t)}</td></tr>"
                  for t, k in rows]
        parts.append("</table>")
    parts.append("<h3>In the text and pickers</h3><table>")
    parts += [f"<tr><td class='k'>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
              for a, b in PICKER_KEYS]
    parts.append("</table>")
    return "".join(parts)
