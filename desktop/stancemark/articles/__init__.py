"""Reading articles in: scraped text, saved web pages, DOCX, ODT, RTF and PDF documents,
Nexis and Factiva batches, CSV and JSON Lines of articles; any common encoding.

This package turns files into :class:`~stancemark.core.models.ArticleDraft`
values and knows nothing of projects, SQL or Qt. :func:`read_items` reads any
supported file into one item per article; :func:`read_file` and
:func:`read_bytes` read a single text or HTML article.
"""

from stancemark.articles.document import ReadItem
from stancemark.articles.formats import (
    FILE_PATTERNS,
    is_table,
    preview_file,
    read_data,
    read_items,
)
from stancemark.articles.reader import (
    MAX_BYTES,
    ReadFailure,
    iter_input_files,
    read_bytes,
    read_file,
)
from stancemark.articles.tabular import ColumnMap, MapError, TablePreview

__all__ = ["FILE_PATTERNS", "MAX_BYTES", "ColumnMap", "MapError", "ReadFailure", "ReadItem",
           "TablePreview", "is_table", "iter_input_files", "preview_file", "read_bytes",
           "read_data", "read_file", "read_items"]
