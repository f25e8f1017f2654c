from functools import cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from workflow.notify import unread_count


def service(request):
    return {"service_name": settings.CONCORDAT_SERVICE_NAME, "demo_mode": settings.DEMO_MODE}


# (label, url name, shown to) — url names that are not installed yet are skipped.
NAVIGATION = [
    ("My work", "workflow:my_work"),
    ("Dashboard", "scrutiny:dashboard"),
    ("Requests", "sharing:request_list"),
    ("Arrangements", "arrangements:list"),
    ("Holds", "holds:list"),  # processing holds: both sides see what is blocked
    ("Research", "research:list"),  # research projects, the contract mechanism, survivors' consent
    ("Statistics", "scrutiny:statistics"),
    ("Protocols", "protocols:list"),
    ("Contacts", "contacts:directory"),  # §18: other departments' contacts
    ("Calendar", "clock:calendar"),
    ("Audit", "audit:log"),
    ("Notifications", "workflow:notifications"),
    ("Account", "profile"),
]


def navigation(request):
    items = []
    for label, name, href in _links(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF):
        current = request.path == href or (href != "/" and request.path.startswith(href))
        unread = (unread_count(request.user) if name == "workflow:notifications" and request.user.is_authenticated
                  else 0)
        items.append({"label": label, "href": href, "current": current, "unread": unread})
    return {"nav_items": items}


@cache
def _links(script_prefix: str, urlconf: str) -> tuple[tuple[str, str, str], ...]:
    """(label, url name, href) of each installed entry: the URLconf is fixed once loaded, so each is reversed once
    a process (per script prefix and URLconf, which decide what reverse answers), not on every page (ADR 54)."""
    links = []
    for label, name in NAVIGATION:
        try:
            links.append((label, name, reverse(name, urlconf=urlconf)))
        except NoReverseMatch:
            continue
    return tuple(links)
