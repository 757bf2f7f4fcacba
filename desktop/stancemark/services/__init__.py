"""Use cases over a project: each user edit is an undoable ``Edit`` returning a ``Change``.

The UI wraps each edit in a ``QUndoCommand``; the CLI and the self-test call
:func:`perform`. Nothing here knows about Qt.
"""
