"""The project file's schema as forward-only migrations keyed by ``PRAGMA user_version``.

Each entry of :data:`MIGRATIONS` brings the file from version ``i`` to ``i + 1``.
Never edit a migration that has shipped; append a new one.
"""

from __future__ import annotations

#: ``PRAGMA application_id`` of every Stancemark project ("STMK").
APPLICATION_ID = 0x53544D4B

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE annotators (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- Small columns first, text last: listing articles never walks the text's overflow pages.
CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,          -- sha256 of text
    title       TEXT,
    subtitle    TEXT,
    source      TEXT,
    url         TEXT,
    author      TEXT,
    published   TEXT,                          -- ISO 8601
    language    TEXT,
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'done')),
    length      INTEGER NOT NULL,              -- len(text) in code points
    format      TEXT NOT NULL DEFAULT 'text',
    encoding    TEXT,
    source_path TEXT,
    meta        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(meta)),
    imported_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    text        TEXT NOT NULL
);
CREATE INDEX idx_articles_status ON articles(status);
CREATE INDEX idx_articles_published ON articles(published);

-- The file as read, so the analyst can see what cleaning dropped.
CREATE TABLE article_raw (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    raw        TEXT NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_ai AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER articles_fts_ad AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER articles_fts_au AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
-- An article's text never changes once it has annotations.
CREATE TRIGGER articles_text_frozen BEFORE UPDATE OF text ON articles
WHEN old.text IS NOT new.text AND (
    EXISTS (SELECT 1 FROM mentions WHERE article_id = old.id)
    OR EXISTS (SELECT 1 FROM claims WHERE article_id = old.id))
BEGIN
    SELECT RAISE(ABORT, 'article text is frozen: it has annotations');
END;

-- Codebook
CREATE TABLE actor_types (
    key      TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    color    TEXT NOT NULL,
    shortcut TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE categories (
    key         TEXT PRIMARY KEY,
    label       TEXT NOT NULL,
    parent      TEXT REFERENCES categories(key) ON UPDATE CASCADE ON DELETE SET NULL,
    description TEXT NOT NULL DEFAULT '',
    color       TEXT NOT NULL,
    shortcut    TEXT,
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_categories_parent ON categories(parent);
CREATE TABLE scale (
    value    INTEGER PRIMARY KEY,
    label    TEXT NOT NULL,
    color    TEXT NOT NULL,
    shortcut TEXT
);

-- Actors
CREATE TABLE actors (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    type           TEXT REFERENCES actor_types(key) ON UPDATE CASCADE ON DELETE SET NULL,
    affiliation_id INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    note           TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX idx_actors_type ON actors(type);
CREATE INDEX idx_actors_affiliation ON actors(affiliation_id);
CREATE TABLE actor_aliases (
    id       INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    alias    TEXT NOT NULL,
    UNIQUE (actor_id, alias)
);
CREATE INDEX idx_actor_aliases_alias ON actor_aliases(alias);

-- Annotations: offsets are code points into articles.text, end exclusive;
-- every span keeps its text so text[start_offset:end_offset] == text can be checked.
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor_id     INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset   INTEGER NOT NULL CHECK (end_offset > start_offset),
    text         TEXT NOT NULL,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX idx_mentions_article ON mentions(article_id, start_offset);
CREATE INDEX idx_mentions_actor ON mentions(actor_id);
CREATE INDEX idx_mentions_annotator ON mentions(annotator_id);

CREATE TABLE claims (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset   INTEGER NOT NULL CHECK (end_offset > start_offset),
    text         TEXT NOT NULL,
    claimant_id  INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    target_id    INTEGER REFERENCES actors(id) ON DELETE SET NULL,
    category     TEXT REFERENCES categories(key) ON UPDATE CASCADE ON DELETE SET NULL,
    stance       INTEGER,
    note         TEXT,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX idx_claims_article ON claims(article_id, start_offset);
CREATE INDEX idx_claims_claimant ON claims(claimant_id);
CREATE INDEX idx_claims_target ON claims(target_id);
CREATE INDEX idx_claims_category ON claims(category);
CREATE INDEX idx_claims_annotator ON claims(annotator_id);

CREATE TABLE article_sentiments (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    value        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (article_id, annotator_id)
);
CREATE INDEX idx_article_sentiments_annotator ON article_sentiments(annotator_id);

CREATE TABLE actor_sentiments (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    actor_id     INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    annotator_id INTEGER NOT NULL REFERENCES annotators(id),
    value        INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (article_id, actor_id, annotator_id)
);
CREATE INDEX idx_actor_sentiments_actor ON actor_sentiments(actor_id);
CREATE INDEX idx_actor_sentiments_annotator ON actor_sentiments(annotator_id);

-- Suggestions an analyst dismissed stay dismissed.
CREATE TABLE dismissed_suggestions (
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset   INTEGER NOT NULL,
    PRIMARY KEY (article_id, kind, start_offset, end_offset)
);
"""

# Scale (issue 7), measured on 100,000 articles and 1,000,000 annotations:
# - the article list pages by OFFSET; in id order SQLite walked the table's leaf
#   pages (one article each, text inline) to skip rows: a covering index skips
#   them in index pages instead (last page 234 ms -> 14 ms);
# - sorting by title or source sorted all rows on every page: indexes in the
#   list's collation (last page 1.7 s -> 8 ms);
# - the actor registry counts each actor's distinct articles: (actor, article)
#   indexes answer that from the index alone (listing 3.2 s -> 0.4 s); they
#   replace the single-column ones, whose prefix they are.
_V2 = """
CREATE INDEX idx_articles_listing ON articles(id, title, published, source, status, length);
CREATE INDEX idx_articles_title ON articles(title COLLATE NOCASE);
CREATE INDEX idx_articles_source ON articles(source COLLATE NOCASE);
CREATE INDEX idx_mentions_actor_article ON mentions(actor_id, article_id);
DROP INDEX idx_mentions_actor;
CREATE INDEX idx_claims_claimant_article ON claims(claimant_id, article_id);
DROP INDEX idx_claims_claimant;
CREATE INDEX idx_claims_target_article ON claims(target_id, article_id);
DROP INDEX idx_claims_target;
"""

# Annotation counts per article, kept by triggers, so the article list can show and
# sort by them on 100,000 articles without counting a million rows per page.
_V3 = """
CREATE TABLE article_counts (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    annotations INTEGER NOT NULL DEFAULT 0
);
INSERT INTO article_counts(article_id, annotations)
    SELECT a.id, (SELECT count(*) FROM mentions m WHERE m.article_id = a.id)
               + (SELECT count(*) FROM claims c WHERE c.article_id = a.id)
    FROM articles a;
CREATE INDEX idx_article_counts_annotations ON article_counts(annotations, article_id);
CREATE TRIGGER article_counts_article_ai AFTER INSERT ON articles BEGIN
    INSERT INTO article_counts(article_id, annotations) VALUES (new.id, 0);
END;
CREATE TRIGGER article_counts_mention_ai AFTER INSERT ON mentions BEGIN
    UPDATE article_counts SET annotations = annotations + 1 WHERE article_id = new.article_id;
END;
CREATE TRIGGER article_counts_mention_ad AFTER DELETE ON mentions BEGIN
    UPDATE article_counts SET annotations = annotations - 1 WHERE article_id = old.article_id;
END;
CREATE TRIGGER article_counts_claim_ai AFTER INSERT ON claims BEGIN
    UPDATE article_counts SET annotations = annotations + 1 WHERE article_id = new.article_id;
END;
CREATE TRIGGER article_counts_claim_ad AFTER DELETE ON claims BEGIN
    UPDATE article_counts SET annotations = annotations - 1 WHERE article_id = old.article_id;
END;
"""

# A revision number of the actor registry (names and aliases), bumped by triggers, so a
# cached name matcher knows exactly when it is stale (an alias swapped for another of
# the same length under a reused row id left every count and sum as it was).
_V4 = """
INSERT INTO meta(key, value) VALUES ('registry_revision', '0')
    ON CONFLICT(key) DO NOTHING;
CREATE TRIGGER registry_revision_actor_ai AFTER INSERT ON actors BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision';
END;
CREATE TRIGGER registry_revision_actor_au AFTER UPDATE ON actors BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision';
END;
CREATE TRIGGER registry_revision_actor_ad AFTER DELETE ON actors BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision';
END;
CREATE TRIGGER registry_revision_alias_ai AFTER INSERT ON actor_aliases BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision';
END;
CREATE TRIGGER registry_revision_alias_au AFTER UPDATE ON actor_aliases BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision';
END;
CREATE TRIGGER registry_revision_alias_ad AFTER DELETE ON actor_aliases BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'registry_revision';
END;
"""

# Version 5.
# - The charts and the report aggregate claims by category and stance and count each coder's
#   articles: indexes that answer those from the index alone (216,000 claims: stance by
#   category 1.0 s -> see the README's benchmark table). Each replaces an index that is
#   its prefix.
# - Adjudication (issue 13): each unit a curator settled into a gold set. The gold
#   annotations themselves are ordinary rows of the gold annotator; this table keeps
#   what they came from (``sources``: annotator name -> annotation id, or value for a
#   sentiment) and the units closed without any (``outcome`` 'rejected'), so re-running
#   the automatic step neither repeats nor duplicates a decision.
_V5 = """
CREATE INDEX idx_claims_category_stance ON claims(category, stance);
DROP INDEX idx_claims_category;
CREATE INDEX idx_claims_annotator_article ON claims(annotator_id, article_id);
DROP INDEX idx_claims_annotator;
CREATE INDEX idx_mentions_annotator_article ON mentions(annotator_id, article_id);
DROP INDEX idx_mentions_annotator;

CREATE TABLE adjudications (
    id           INTEGER PRIMARY KEY,
    gold_id      INTEGER NOT NULL REFERENCES annotators(id),
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    layer        TEXT NOT NULL CHECK (layer IN ('mentions', 'claims', 'article_sentiment',
                                                 'actor_sentiment')),
    unit_key     TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('accepted', 'edited', 'rejected')),
    decided_by   TEXT NOT NULL,
    sources      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(sources)),
    mention_id   INTEGER REFERENCES mentions(id) ON DELETE SET NULL,
    claim_id     INTEGER REFERENCES claims(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (gold_id, article_id, layer, unit_key)
);
CREATE INDEX idx_adjudications_article ON adjudications(article_id);
CREATE INDEX idx_adjudications_mention ON adjudications(mention_id);
CREATE INDEX idx_adjudications_claim ON adjudications(claim_id);
"""

# Version 6 (issue 17, team sync): stable identities and a local change log.
# - Actors, annotations and codebook entries get a ``uuid`` (articles already have one:
#   ``uid``, the hash of their text). A row inserted without one gets a random version-4
#   UUID from its insert trigger; rows that come from the team hub arrive with theirs.
# - ``change_log`` is append-only: one row per insert, update or delete of a synchronised
#   row, numbered by ``seq`` (the project's logical clock). Triggers write it, so it is
#   right whatever path changes the data. Team sync sends what changed after the last
#   ``seq`` it sent; a deleted row is sent as a tombstone. ``origin`` is NULL for a local
#   change and ``hub`` for a change that sync itself applied (meta ``change_origin`` is set
#   while it does), so nothing pulled is pushed back.
_UUID_SQL = (
    "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || "
    "substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || "
    "substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
)
_ORIGIN_SQL = "(SELECT value FROM meta WHERE key = 'change_origin')"


def _logged(table: str) -> str:
    """SQL giving ``table`` a ``uuid`` and the triggers that record its changes in
    ``change_log`` (migrations 6 and 7; the text is part of both, frozen with them)."""
    return f"""
ALTER TABLE {table} ADD COLUMN uuid TEXT;
UPDATE {table} SET uuid = {_UUID_SQL};
CREATE UNIQUE INDEX idx_{table}_uuid ON {table}(uuid);
INSERT INTO change_log(tbl, uuid, op) SELECT '{table}', uuid, 'insert' FROM {table};
CREATE TRIGGER change_log_{table}_ai AFTER INSERT ON {table} BEGIN
    UPDATE {table} SET uuid = {_UUID_SQL} WHERE rowid = new.rowid AND uuid IS NULL;
    INSERT INTO change_log(tbl, uuid, op, origin)
        SELECT '{table}', uuid, 'insert', {_ORIGIN_SQL} FROM {table} WHERE rowid = new.rowid;
END;
CREATE TRIGGER change_log_{table}_au AFTER UPDATE ON {table} WHEN old.uuid IS NOT NULL BEGIN
    INSERT INTO change_log(tbl, uuid, op, origin)
        VALUES ('{table}', new.uuid, 'update', {_ORIGIN_SQL});
END;
CREATE TRIGGER change_log_{table}_ad AFTER DELETE ON {table} BEGIN
    INSERT INTO change_log(tbl, uuid, op, origin)
        VALUES ('{table}', old.uuid, 'delete', {_ORIGIN_SQL});
END;
"""


def _v6() -> str:
    """The text of migration 6 (generated once; frozen like every shipped migration)."""
    parts = ["""
CREATE TABLE change_log (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl    TEXT NOT NULL,
    uuid   TEXT NOT NULL,
    op     TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    origin TEXT
);
CREATE TRIGGER change_log_append_only BEFORE UPDATE ON change_log BEGIN
    SELECT RAISE(ABORT, 'the change log is append-only');
END;
"""]
    for table in ("actor_types", "categories", "scale", "actors", "mentions", "claims",
                  "article_sentiments", "actor_sentiments"):
        parts.append(_logged(table))
    # An alias belongs to its actor: changing one is a change of the actor.
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        parts.append(f"""
CREATE TRIGGER change_log_actor_aliases_a{event[0].lower()} AFTER {event} ON actor_aliases
WHEN (SELECT uuid FROM actors WHERE id = {row}.actor_id) IS NOT NULL BEGIN
    INSERT INTO change_log(tbl, uuid, op, origin)
        SELECT 'actors', uuid, 'update', {_ORIGIN_SQL} FROM actors WHERE id = {row}.actor_id;
END;
""")
    # Articles are known by uid already.
    for event, row, op in (("INSERT", "new", "insert"), ("UPDATE", "new", "update"),
                           ("DELETE", "old", "delete")):
        parts.append(f"""
CREATE TRIGGER change_log_articles_a{event[0].lower()} AFTER {event} ON articles BEGIN
    INSERT INTO change_log(tbl, uuid, op, origin)
        VALUES ('articles', {row}.uid, '{op}', {_ORIGIN_SQL});
END;
""")
    parts.append("INSERT INTO change_log(tbl, uuid, op) SELECT 'articles', uid, 'insert' "
                 "FROM articles ORDER BY id;\n")
    return "".join(parts)


_V6 = _v6()

# Version 7 (issue 17, second phase): adjudication decisions travel to the team hub (a
# ``uuid`` and change-log triggers like the annotations'), and ``team_assignments`` keeps
# which articles the hub assigns to this member: ``assigned`` 0 once a manager took one
# back (the article and the member's work on it stay). A team project pulls everything
# once more on its next sync, so both arrive whole.
def _v7() -> str:
    """The text of migration 7 (frozen once shipped)."""
    return _logged("adjudications") + """CREATE TABLE team_assignments (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    assigned   INTEGER NOT NULL CHECK (assigned IN (0, 1)),
    changed_at TEXT NOT NULL
);
DELETE FROM meta WHERE key = 'sync_pull_cursor';
"""


_V7 = _v7()

# Version 8: articles found by the file they came from. A scraped file's clean text
# depends on its batch (lines a site repeats across files are dropped), so the same
# file imported again in another batch may clean differently; it is still a duplicate
# when its path and the text as read match an article's.
_V8 = """
CREATE INDEX idx_articles_source_path ON articles(source_path);
"""

#: MIGRATIONS[i] upgrades a file at user_version i to i + 1.
MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8]

CURRENT_VERSION = len(MIGRATIONS)
