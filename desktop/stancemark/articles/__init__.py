"""Reading articles in: scraped text and saved web pages, any common encoding.

This package turns files into :class:`~stancemark.core.models.ArticleDraft`
values and knows nothing of projects, SQL or Qt.
"""

from stancemark.articles.reader import (
    MAX_BYTES,
    ReadFailure,
    iter_input_files,
    read_bytes,
    read_file,
)

__all__ = ["MAX_BYTES", "ReadFailure", "iter_input_files", "read_bytes", "read_file"]
