"""Connecting to the hub as one role, and where that role's password is kept.

A URL is ``postgresql://ROLE[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=...]``. A
password is never stored in a project file: it comes from the URL, ``PGPASSWORD``,
the system keyring (when the ``keyring`` package is installed) or a libpq password
file (``PGPASSFILE``, by default ``~/.pgpass``), in that order. TLS is used where the
server offers it (``sslmode=prefer``); ``require`` insists on it, ``disable`` skips it.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pg8000.native

from stancemark.core.errors import HubOfflineError, HubRefusedError, TeamError

KEYRING_SERVICE = "stancemark-team"


@dataclass(frozen=True)
class HubAddress:
    """Where the hub is and as whom to log in (the password only while in memory)."""

    user: str
    host: str
    port: int
    database: str
    sslmode: str = "prefer"
    password: str | None = None

    def url(self, *, with_password: bool = False) -> str:
        secret = f":{quote(self.password, safe='')}" if with_password and self.password else ""
        query = "" if self.sslmode == "prefer" else f"?sslmode={self.sslmode}"
        return (f"postgresql://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/"
                f"{quote(self.database, safe='')}{query}")

    def as_user(self, user: str, password: str | None) -> HubAddress:
        return replace(self, user=user, password=password)


def parse_url(url: str) -> HubAddress:
    """Read a ``postgresql://`` URL; raise :class:`TeamError` when it is not one."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        raise TeamError(f"'{url}' is not a PostgreSQL URL.",
                        "Give one like postgresql://alice@db.example.org:5432/team.")
    if not parts.username:
        raise TeamError(f"The URL {parts.hostname}/{parts.path.lstrip('/')} names no role.",
                        "Put the role before the host: postgresql://ROLE@HOST/DATABASE.")
    sslmode = parse_qs(parts.query).get("sslmode", ["prefer"])[0]
    if sslmode not in ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"):
        raise TeamError(f"Unknown sslmode '{sslmode}'.", "Use prefer, require or disable.")
    try:
        port = parts.port or 5432
    except ValueError:
        raise TeamError(f"The port in '{url}' is not a number.", "Fix the URL.") from None
    return HubAddress(
        user=unquote(parts.username), host=parts.hostname, port=port,
        database=unquote(parts.path.lstrip("/")) or unquote(parts.username), sslmode=sslmode,
        password=unquote(parts.password) if parts.password is not None else None)


# -- passwords ------------------------------------------------------------------

def pgpass_path() -> Path:
    return Path(os.environ.get("PGPASSFILE") or Path.home() / ".pgpass")


def _pgpass_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _pgpass_fields(line: str) -> list[str]:
    fields, buf, escaped = [], "", False
    for ch in line:
        if escaped:
            buf, escaped = buf + ch, False
        elif ch == "\\":
            escaped = True
        elif ch == ":":
            fields.append(buf)
            buf = ""
        else:
            buf += ch
    fields.append(buf)
    return fields


def _pgpass_lookup(addr: HubAddress) -> str | None:
    path = pgpass_path()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    want = (addr.host, str(addr.port), addr.database, addr.user)
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = _pgpass_fields(line)
        if len(fields) == 5 and all(f in ("*", w) for f, w in zip(fields[:4], want,
                                                                   strict=True)):
            return fields[4]
    return None


def _keyring_key(addr: HubAddress) -> str:
    return f"{addr.user}@{addr.host}:{addr.port}/{addr.database}"


def _keyring() -> object | None:
    try:
        import keyring  # optional: the system keyring when its package is installed
    except ImportError:
        return None
    return keyring


def find_password(addr: HubAddress) -> str | None:
    """The password for ``addr`` from the URL, the environment, the keyring or a pgpass file."""
    if addr.password is not None:
        return addr.password
    if os.environ.get("PGPASSWORD"):
        return os.environ["PGPASSWORD"]
    ring = _keyring()
    if ring is not None:
        try:
            found = ring.get_password(KEYRING_SERVICE, _keyring_key(addr))  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a keyring without a backend: try the file
            found = None
        if found:
            return str(found)
    return _pgpass_lookup(addr)


def store_password(addr: HubAddress, password: str) -> str:
    """Keep ``password`` for ``addr`` outside the project; returns where it went."""
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(KEYRING_SERVICE, _keyring_key(addr), password)  # type: ignore[attr-defined]
            return "the system keyring"
        except Exception:  # noqa: BLE001 - no usable keyring backend: use the file
            pass
    path = pgpass_path()
    entry = ":".join(_pgpass_escape(v) for v in (addr.host, str(addr.port), addr.database,
                                                 addr.user, password))
    prefix = ":".join(_pgpass_escape(v) for v in (addr.host, str(addr.port), addr.database,
                                                  addr.user)) + ":"
    try:
        old = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        kept = [line for line in old if not line.startswith(prefix)]
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("\n".join([*kept, entry]) + "\n")
        os.chmod(path, 0o600)
    except OSError as exc:
        raise TeamError(f"Cannot write the password file {path}: {exc.strerror}.",
                        "Set PGPASSFILE to a file you may write.") from None
    return str(path)


# -- connecting -----------------------------------------------------------------

def connect(addr: HubAddress, *, timeout: float = 15.0) -> pg8000.native.Connection:
    """A session on the hub as ``addr.user``; :class:`TeamError` says why not."""
    password = find_password(addr)
    contexts: list[ssl.SSLContext | None]
    if addr.sslmode == "disable":
        contexts = [None]
    elif addr.sslmode in ("verify-ca", "verify-full"):
        contexts = [ssl.create_default_context()]
    else:
        loose = ssl.create_default_context()
        loose.check_hostname = False
        loose.verify_mode = ssl.CERT_NONE
        contexts = [loose] if addr.sslmode == "require" else [loose, None]
    last: Exception | None = None
    for context in contexts:
        try:
            return pg8000.native.Connection(
                addr.user, host=addr.host, port=addr.port, database=addr.database,
                password=password, ssl_context=context, timeout=timeout,
                application_name="stancemark")
        except pg8000.native.InterfaceError as exc:
            last = exc
            if "refuses SSL" in str(exc) and context is not None:
                continue  # the server offers no TLS: plain, as sslmode=prefer allows
            break
        except pg8000.native.DatabaseError as exc:
            last = exc
            break
        except (AttributeError, TypeError) as exc:
            if password is None:  # the server asked for a password we do not have
                raise HubRefusedError(
                    f"No password for '{addr.user}' on {addr.host}:{addr.port}/{addr.database}.",
                    "Join again with the password in the URL, or put it in PGPASSWORD, the "
                    "keyring or ~/.pgpass.") from None
            last = exc
            break
        except OSError as exc:
            last = exc
            break
    raise _login_error(addr, last)


def _login_error(addr: HubAddress, exc: Exception | None) -> TeamError:
    text = message(exc) if exc else "unknown error"
    where = f"{addr.host}:{addr.port}/{addr.database}"
    if "password" in text.lower() or "authentication" in text.lower():
        return HubRefusedError(f"The hub {where} refused the login of '{addr.user}' ({text}).",
                               "Check the password (keyring, ~/.pgpass or PGPASSWORD).")
    if isinstance(exc, pg8000.native.DatabaseError):  # the server answered, and said no
        return HubRefusedError(f"The team hub {where} refused '{addr.user}' ({text}).",
                               "Check the URL's database and role with the team's manager.")
    return HubOfflineError(f"Cannot reach the team hub {where} as '{addr.user}' ({text}).",
                           "Check the URL and the network, then run the command again; "
                           "nothing local was changed.")


def message(exc: BaseException) -> str:
    """PostgreSQL's own message out of a driver error."""
    if exc.args and isinstance(exc.args[0], dict):
        return str(exc.args[0].get("M", exc))
    return str(exc)


def lost_connection(exc: BaseException) -> TeamError | None:
    """A :class:`HubOfflineError` when ``exc`` is the hub's connection dropping mid-way."""
    if isinstance(exc, (pg8000.native.InterfaceError, OSError)):
        return HubOfflineError(f"The connection to the team hub was lost ({message(exc)}).",
                               "Nothing was half-applied; the next sync sends and fetches "
                               "the rest.")
    return None


def hub_error(exc: BaseException, what: str) -> TeamError:
    """A :class:`TeamError` for a statement the hub refused or a lost connection."""
    return TeamError(f"The team hub refused {what}: {message(exc)}.",
                     "Nothing was half-applied; run the command again, or ask the "
                     "team's manager if it keeps failing.")
