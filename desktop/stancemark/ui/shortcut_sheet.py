"""The shortcut sheet (F1 or ?): every action of the window with its keys, by menu."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from stancemark.ui.actions import MENUS, WindowActions, key_text, modifier_name


def picker_keys(exact: Qt.KeyboardModifier) -> tuple[tuple[str, str], ...]:
    return (
        ("Actor picker", "Type to filter · ↑/↓ choose · Enter pick · Esc cancel"),
        ("New actor type", "The type's letter (P person, O organisation …) or ↑/↓ and Enter"),
        ("Selecting text", "Mouse selections snap to whole words; hold "
         f"{modifier_name(exact)} while dragging for exact characters"),
        ("Highlights", "Click one to select it in the panel; a click on plain text or Esc "
         "selects none; hover for what it is"),
        ("Search box, note", "Esc goes back to the text; Enter saves the note; keys with "
         "Ctrl or Alt work as everywhere"),
        ("Changing keys", "Set [shortcuts] ACTION=KEY in Stancemark.conf (see README)"),
    )


class ShortcutSheetDialog(QDialog):
    """A read-only table of actions and keys, built from the same specs as the menus."""

    def __init__(self, actions: WindowActions, parent: QWidget | None = None, *,
                 exact: Qt.KeyboardModifier = Qt.KeyboardModifier.ControlModifier) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutSheet")
        self.browser = QTextBrowser(self)
        self.browser.setHtml(sheet_html(actions, exact))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 720)


def sheet_html(actions: WindowActions,
               exact: Qt.KeyboardModifier = Qt.KeyboardModifier.ControlModifier) -> str:
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
              for a, b in picker_keys(exact)]
    parts.append("</table>")
    return "".join(parts)
