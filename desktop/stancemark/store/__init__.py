"""The project file: the only package that speaks SQL.

Use :func:`open_project` (a file) or :func:`memory_project` (tests) to get a
:class:`Store`; its repositories (``articles``, ``actors``, ``annotations``,
``codebook``) read and write the data.
"""

from stancemark.store.project import Store, memory_project, open_project

__all__ = ["Store", "memory_project", "open_project"]
