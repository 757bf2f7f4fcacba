"""The team's hub: a PostgreSQL database, the only place besides ``store`` that speaks SQL.

``connection`` opens a session as a team member (password from the URL, the
environment, the system keyring or a libpq password file); ``hub_schema`` creates
the tables, roles and row-level-security policies through which PostgreSQL itself
decides who may read and write what; ``hub`` pushes and pulls rows (see
:mod:`stancemark.core.team` for their shape).
"""
