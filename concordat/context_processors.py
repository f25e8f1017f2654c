from django.conf import settings
from django.urls import NoReverseMatch, reverse

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
    for label, name in NAVIGATION:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == href or (href != "/" and request.path.startswith(href))
        unread = (unread_count(request.user) if name == "workflow:notifications" and request.user.is_authenticated
                  else 0)
        items.append({"label": label, "href": href, "current": current, "unread": unread})
    return {"nav_items": items}
