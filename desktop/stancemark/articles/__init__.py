"""Reading articles in: scraped text, saved web pages, DOCX, ODT, RTF and PDF documents,
Nexis and Factiva batches, CSV and JSON Lines of articles; any common encoding.

This package turns files into :class:`~stancemark.core.models.ArticleDraft`
values and knows nothing of projects, SQL or Qt.
"""

from stancemark.articles.document import ReadItem  # noqa: E402
from stancemark.articles.formats import is_table, read_data, read_items  # noqa: E402
from stancemark.articles.reader import (
    MAX_BYTES,
    ReadFailure,
    iter_input_files,
    read_bytes,
    read_file,
)
from stancemark.articles.tabular import ColumnMap, MapError  # noqa: E402

__all__ = ["MAX_BYTES", "ColumnMap", "MapError", "ReadFailure", "ReadItem", "is_table",
           "iter_input_files", "read_bytes", "read_data", "read_file", "read_items"]
