"""Use cases over a project: every user edit is an undoable :class:`Edit` returning a :class:`Change`.

The UI wraps each edit in a ``QUndoCommand``; the CLI and the self-test call
:func:`perform`. Nothing here knows about Qt.
"""
