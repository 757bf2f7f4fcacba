"""Importing a spreadsheet of articles in a real X window, by keys alone: Ctrl+I, the
file dialog, the column-mapping dialog (Alt+D picks the date column, Enter imports),
and the articles are in the project with the chosen columns."""

from __future__ import annotations

import time
from pathlib import Path

from tests.realwindow.test_everyday_keys import SCREEN, query, wait_for
from tests.realwindow.test_smoke import Desktop, desktop, pytestmark  # noqa: F401

TABLE = ("headline,story,pub,site,when\n"
         "Harbour talks resume,The mayor said the harbour talks would resume on Monday.,"
         "2024-01-05,North Ledger,2024-02-01\n"
         "Ferry fares rise,The operator said fares would rise in May.,"
         "2024-01-06,South Wire,2024-02-02\n")


def test_a_csv_imported_with_its_columns_chosen_by_keys(desktop: Desktop,  # noqa: F811
                                                        tmp_path: Path) -> None:
    project = tmp_path / "table.stancemark"
    table = tmp_path / "scraped.csv"
    table.write_text(TABLE, encoding="utf-8")
    with desktop.app(project) as app:
        time.sleep(1.0)
        desktop.key("ctrl+i")
        desktop.wait_window("Import articles")
        time.sleep(0.5)
        desktop.key("ctrl+a")
        desktop.type(str(table))
        desktop.key("Return")
        window = desktop.wait_window("scraped.csv")  # the mapping dialog names the file
        time.sleep(0.5)
        x, y, w, h = desktop.geometry(window)
        assert x >= 0 and y >= 0 and x + w <= SCREEN[0] and y + h <= SCREEN[1], (x, y, w, h)
        # neither "pub" nor "when" is a known date name: the analyst picks the date column
        desktop.key("alt+d")
        desktop.type("when")
        desktop.key("Return")  # closes the combo's choice
        time.sleep(0.3)
        desktop.key("Return")  # imports
        wait_for(lambda: query(project, "SELECT count(*) FROM articles"), (2,))
        assert query(project, "SELECT title, substr(published, 1, 10), source FROM articles "
                              "ORDER BY id") == ("Harbour talks resume", "2024-02-01",
                                                 "North Ledger")
        desktop.quit(app)
