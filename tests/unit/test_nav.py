"""The navigation shows each caller the links they may open, grouped, with the page lit."""

from __future__ import annotations

from orderflow.auth.roles import PERMISSIONS, Role
from orderflow.web.nav import NAV, Group, Link, navigation


def _may(*roles: Role):  # type: ignore[no-untyped-def]
    return lambda permission: bool(set(roles) & PERMISSIONS[permission])


def test_every_link_names_a_real_permission_and_a_unique_id() -> None:
    links = [e for e in NAV if isinstance(e, Link)] + [
        link for e in NAV if isinstance(e, Group) for link in e.links
    ]
    assert all(link.permission is None or link.permission in PERMISSIONS for link in links)
    assert len({link.id for link in links}) == len(links)


def test_a_group_shows_only_the_callers_links_and_vanishes_when_none_is_left() -> None:
    shown = navigation("/quality/inspections/3", _may(Role.QUALITY))
    labels = [e.label for e in shown]
    supply = next(e for e in shown if e.label == "nav.group.supply")
    assert supply.active and any(link.href == "/quality" for link in supply.links)
    assert all(link.href != "/users" for e in shown for link in e.links)
    assert "nav.group.master_data" in labels  # products are readable by everyone


def test_admin_pages_stay_hidden_from_a_sales_clerk() -> None:
    shown = navigation("/orders/1", _may(Role.SALES_CLERK))
    hrefs = {link.href for e in shown for link in ((e.link,) if e.link else e.links)}
    assert "/users" not in hrefs and "/orders" in hrefs
    assert next(e for e in shown if e.link and e.link.href == "/orders").active
