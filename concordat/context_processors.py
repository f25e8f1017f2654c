from django.conf import settings


def service(request):
    return {"service_name": settings.CONCORDAT_SERVICE_NAME, "demo_mode": settings.DEMO_MODE}


# (label, url name, shown to) — url names that are not installed yet are skipped.
NAVIGATION = [
    ("My work", "sharing:my_work"),
    ("Requests", "sharing:request_list"),
    ("Protocols", "protocols:list"),
    ("Calendar", "clock:calendar"),
    ("Audit", "audit:log"),
    ("Your account", "profile"),
]


def navigation(request):
    from django.urls import NoReverseMatch, reverse

    items = []
    for label, name in NAVIGATION:
        try:
            href = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"label": label, "href": href, "current": current})
    return {"nav_items": items}
