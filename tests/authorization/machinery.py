"""How the matrix walks the URL patterns, fills their arguments, calls them and watches for writes."""

import copy
import fnmatch
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route for an unnamed pattern
    route: str
    name: str | None  # what reverse() takes
    callback: object
    kwarg_names: tuple[str, ...]

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None) or getattr(self.callback, "cls", None)


def _walk(resolver, prefix: str, namespace: str | None, regex: str):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner, regex + entry.pattern.regex.pattern.lstrip("^"))
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            full = re.compile(regex + entry.pattern.regex.pattern.lstrip("^"))
            yield Pattern(
                key=name or route,
                route=route,
                name=name,
                callback=entry.callback,
                kwarg_names=tuple(full.groupindex),
            )


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the project: pages, API, allauth, admin, i18n, docs."""
    return list(_walk(get_resolver(), "", None, ""))


def row_for(pattern: Pattern, table: dict):
    """The table's row for a pattern: its exact key, else the first glob key (admin:*) that matches."""
    if pattern.key in table:
        return pattern.key, table[pattern.key]
    for key, row in table.items():
        if "*" in key and fnmatch.fnmatchcase(pattern.key, key):
            return key, row
    return None, None


def url_for(pattern: Pattern, kwargs: dict) -> str:
    values = {name: kwargs[name] for name in pattern.kwarg_names}
    if pattern.name:
        return reverse(pattern.name, kwargs=values)
    # Unnamed patterns: fill the route's <converter:name> parts by hand.
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern.route)
    return "/" + url


def declared_by_class(pattern: Pattern) -> set[str] | None:
    """The methods a class-based view (Django or DRF) has a handler for; None for a function view."""
    cls = pattern.view_class
    if cls is None:
        return None
    return {m.upper() for m in cls.http_method_names if hasattr(cls, m)} & set(METHODS)


# --- Calling --------------------------------------------------------------------------------------------------


def call(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if method == "POST":
        return client.post(url, {})
    return client.generic(method, url, b"{}", content_type="application/json")


# --- Nothing changed ------------------------------------------------------------------------------------------

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


def ignored_tables() -> set[str]:
    """Sessions and a database cache are written by visits that change nothing (a log-in page stores its state)."""
    tables = {"django_session"}
    for cache in settings.CACHES.values():
        if cache.get("BACKEND", "").endswith("DatabaseCache"):
            tables.add(cache["LOCATION"])
    return tables


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {os.path.relpath(os.path.join(d, f), root) for d, _dirs, files in os.walk(root) for f in files}


def fingerprint() -> str:
    """Every row of every table (bar sessions and caches) of the small seeded world, hashed."""
    digest = hashlib.blake2b(digest_size=16)
    skip = ignored_tables()
    for model in apps.get_models():
        if model._meta.db_table in skip or model._meta.proxy or not model._meta.managed:
            continue
        rows = model._default_manager.order_by("pk").values_list()
        digest.update(f"{model._meta.label}:{len(rows)}:{list(rows)!r}".encode())
    return digest.hexdigest()


@dataclass
class Outcome:
    status: int
    location: str
    writes: list[str]
    on_commit: int
    error: str = ""


def call_isolated(client, method: str, url: str) -> Outcome:
    """Call inside a savepoint that is rolled back, with the client's cookies restored, so calls never affect one
    another. Reports the tables written and the on-commit callbacks (tasks, emails) queued by the call."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)  # a log-out or a new session must not follow the client to the next call
    queued_before = len(connection.run_on_commit)
    connection.queries_log.clear()  # the log keeps 9,000 queries; a full log would hide this call's writes
    savepoint = transaction.savepoint()
    error = ""
    try:
        with CaptureQueriesContext(connection) as queries:
            try:
                response = call(client, method, url)
                status, location = response.status_code, response.get("Location", "")
            except Exception as exc:  # a view that crashes is a mismatch, not a crash of the whole matrix
                status, location, error = 500, "", f"{type(exc).__name__}: {exc}"[:200]
        queued = len(connection.run_on_commit) - queued_before
    finally:
        transaction.savepoint_rollback(savepoint)
        client.cookies = cookies
        for cache in caches.all():  # allauth's rate limits count every attempt; calls must not affect one another
            cache_forget_own_keys(cache)
    skip = ignored_tables()
    writes = sorted(
        {m.group(1) for q in queries.captured_queries if (m := WRITE.match(q["sql"])) and m.group(1) not in skip}
    )
    return Outcome(status=status, location=location, writes=writes, on_commit=queued, error=error)


def cache_forget_own_keys(cache) -> None:
    """Empty this run's cache entries only. On Redis, cache.clear() is FLUSHDB: it would also wipe the broker's
    queues and every other process's keys in the same database (settings: never call cache.clear() on Redis)."""
    from django.core.cache.backends.redis import RedisCache

    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)
