"""The articles assigned to the member who is logged in: their queue (issue 17).

The hub's ``assignments`` table says who codes what; its row-level security lets a
coder read only their own rows. The queue is read whole, but only when one of this
member's assignments changed since the project last pulled, so a sync with nothing
new costs one small query.
"""

from __future__ import annotations

import pg8000.native

from stancemark.sync.connection import hub_error


def assigned_to_me(conn: pg8000.native.Connection, since: str | None) -> list[str] | None:
    """The uids of the articles assigned to this login, or None if unchanged since ``since``.

    ``since`` is the pull cursor of the project before this sync (None: never read, so
    the queue is read whatever the cursor).
    """
    try:
        if since is not None and not conn.run(
                "SELECT EXISTS (SELECT 1 FROM stancemark.assignments WHERE coder = current_user "
                "AND txid >= CAST(:c AS xid8))", c=since)[0][0]:
            return None
        rows = conn.run("SELECT article_uid FROM stancemark.assignments "
                        "WHERE coder = current_user AND NOT deleted ORDER BY article_uid")
    except pg8000.native.DatabaseError as exc:
        raise hub_error(exc, "reading your assignments") from None
    return [str(r[0]) for r in rows]
