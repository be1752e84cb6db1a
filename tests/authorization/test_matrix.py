"""The authorization matrix: every URL pattern, with each method, as each kind of visitor (issue 11).

Every call runs in a rolled-back savepoint against one seeded world (world.py). Statuses are compared with the table
in expected.py; a refused mutating call must write no row, queue no task or email and leave no file. All mismatches
are collected and reported together as one table.
"""

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.authorization.expected import EXPECTED, LOGIN, REFUSING, From
from tests.authorization.machinery import (
    METHODS,
    MUTATING,
    call_isolated,
    declared_by_class,
    fingerprint,
    media_files,
    row_for,
    url_for,
    url_patterns,
)
from tests.authorization.world import ANON, MEMBER_A, ORGANIZER_A, VISITORS, build_world

# Methods a row does not declare are tried by these visitors only: enough to see a view that acts on them.
UNDECLARED_PROBES = (ANON, MEMBER_A, ORGANIZER_A)


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    patterns = url_patterns()
    missing = sorted({p.key for p in patterns if row_for(p, EXPECTED)[0] is None})
    assert not missing, (
        "These URL patterns have no row in tests/authorization/expected.py. Add one per pattern, saying which "
        "methods it accepts and what each visitor gets (see the top of expected.py):\n  " + "\n  ".join(missing)
    )
    used = {row_for(p, EXPECTED)[0] for p in patterns}
    stale = sorted(set(EXPECTED) - used)
    assert not stale, "These rows of expected.py match no URL pattern any more; remove them:\n  " + "\n  ".join(stale)


def _status(outcome, login_paths) -> object:
    if outcome.status == 302 and urlsplit(outcome.location).path in login_paths:
        return LOGIN
    return outcome.status


@pytest.mark.django_db
def test_every_visitor_gets_what_the_table_says(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    started = time.monotonic()
    world = build_world(tmp_path)
    clients = {}
    for visitor in VISITORS:
        clients[visitor] = Client()
        if world.users[visitor] is not None:
            clients[visitor].force_login(world.users[visitor])
    login_paths = {reverse("account_login"), reverse("admin:login")}
    world_before = fingerprint()

    mismatches: list[str] = []
    calls = 0
    for pattern in url_patterns():
        key, row = row_for(pattern, EXPECTED)
        if row is None:
            continue  # reported by the test above
        picked = {name: world.kwargs[v.key] if isinstance(v, From) else v for name, v in row.kwargs.items()}
        url = url_for(pattern, {**world.kwargs, **picked})
        handlers = declared_by_class(pattern)
        glob = key != pattern.key
        if handlers is not None and not glob and handlers != set(row.methods):
            mismatches.append(f"{pattern.key}: the view handles {sorted(handlers)}, the row says {list(row.methods)}")
        for method in METHODS:
            declared = method in row.methods
            # A class-based view without a handler for the method cannot act on it; the admin is Django's own.
            if not declared and (handlers is not None or glob):
                continue
            for visitor in VISITORS if declared else UNDECLARED_PROBES:
                files_before = media_files() if method in MUTATING else None
                outcome = call_isolated(clients[visitor], method, url)
                calls += 1
                got = _status(outcome, login_paths)
                if declared:
                    expect = row.expect[method][visitor]
                    ok, refused, shown = got in expect.statuses, expect.refused or got in REFUSING, str(expect)
                else:  # 405, or whatever the declared method gives this visitor (a page that treats PUT as GET)
                    base = row.expect[row.methods[0]][visitor]
                    ok, refused, shown = got == 405 or got in base.statuses, True, f"405|{base}"
                problems = []
                if not ok:
                    problems.append(f"expected {shown}, got {got}{' ' + outcome.error if outcome.error else ''}")
                if method in MUTATING and refused:
                    if outcome.writes:
                        problems.append(f"refused but wrote to {', '.join(outcome.writes)}")
                    if outcome.on_commit:
                        problems.append(f"refused but queued {outcome.on_commit} task(s) or email(s) on commit")
                    if (new_files := media_files() - files_before) != set():
                        problems.append(f"refused but left files: {sorted(new_files)}")
                if problems:
                    mismatches.append(f"{pattern.key} {method} as {visitor}: {'; '.join(problems)}")

    assert fingerprint() == world_before, "the seeded world changed although every call was rolled back"
    elapsed = time.monotonic() - started
    print(f"\nauthorization matrix: {calls} calls over {len(url_patterns())} URL patterns in {elapsed:.1f} s")
    assert not mismatches, (
        f"{len(mismatches)} authorization mismatches (fix the view, or the row in tests/authorization/expected.py "
        "if the table is wrong):\n  " + "\n  ".join(mismatches)
    )
