"""The top navigation as data: what each link is, who sees it, which paths light it up.

Areas are grouped the way the departments work (sales, production, supply, master data),
so the bar stays short however many pages there are; a group shows only the links the
caller may open and disappears when none is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    #: A key of auth.roles.PERMISSIONS, or None for every logged-in user.
    permission: str | None = None
    #: Paths (beyond ``href``) that belong to this link's page.
    also: tuple[str, ...] = ()
    id: str = ""

    def active(self, path: str) -> bool:
        return any(path == p or path.startswith(p + "/") for p in (self.href, *self.also))


@dataclass(frozen=True)
class Group:
    label: str
    links: tuple[Link, ...]


NAV: tuple[Link | Group, ...] = (
    Link("/tasks", "nav.tasks", id="nav-tasks"),
    Link("/orders", "nav.orders", "orders.read", id="nav-orders"),
    Group(
        "nav.group.sales",
        (
            Link("/reviews", "rv.nav.reviews", "reviews.read", id="nav-reviews"),
            Link("/quotes", "rv.nav.quotes", "quotes.read", id="nav-quotes"),
            Link("/contracts", "rv.nav.contracts", "contracts.read", id="nav-contracts"),
            Link("/changes", "rv.nav.changes", "changes.read", id="nav-changes"),
            Link("/stock-up-notices", "su.nav", "orders.read", id="nav-stock-ups"),
            Link("/customers", "nav.customers", "customers.read", id="nav-customers"),
        ),
    ),
    Group(
        "nav.group.production",
        (
            Link("/planning", "nav.planning", "planning.read", id="nav-planning"),
            Link(
                "/production",
                "nav.production",
                "production.read",
                ("/cost-budgets", "/samples", "/tech-packs"),
                "nav-production",
            ),
            Link("/shopfloor", "nav.shopfloor", "production.read", id="nav-shopfloor"),
            Link("/design-errors", "de.nav", "design_errors.read", id="nav-design-errors"),
        ),
    ),
    Group(
        "nav.group.supply",
        (
            Link("/purchasing", "nav.purchasing", "purchasing.read", id="nav-purchasing"),
            Link("/warehouse", "nav.warehouse", "warehouses.read", id="nav-warehouse-desk"),
            Link("/quality", "nav.quality", "inspections.read", id="nav-quality"),
            Link("/exceptions", "nav.exceptions", "exceptions.read", id="nav-exceptions"),
        ),
    ),
    Group(
        "nav.group.master_data",
        (
            Link("/products", "nav.products", "products.read", id="nav-products"),
            Link("/warehouses", "nav.warehouses", "warehouses.read", ("/stock",), "nav-warehouses"),
            Link("/users", "nav.users", "users.read", ("/departments",), "nav-users"),
        ),
    ),
    Link("/notifications", "nav.notifications", id="nav-notifications"),
)


@dataclass(frozen=True)
class Shown:
    """One entry of the bar as a page draws it: a link, or a group with its links."""

    label: str
    active: bool
    link: Link | None = None
    links: tuple[Link, ...] = ()


def navigation(path: str, may: Callable[[str], bool]) -> list[Shown]:
    """The bar for this caller on this page."""
    allowed = lambda link: link.permission is None or may(link.permission)  # noqa: E731
    shown: list[Shown] = []
    for entry in NAV:
        if isinstance(entry, Link):
            if allowed(entry):
                shown.append(Shown(entry.label, entry.active(path), link=entry))
            continue
        links = tuple(link for link in entry.links if allowed(link))
        if links:
            shown.append(Shown(entry.label, any(x.active(path) for x in links), links=links))
    return shown
