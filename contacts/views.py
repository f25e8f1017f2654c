"""The §18 directory's pages: read by the Home Office and the Commissioner's office, kept by the Modern Slavery
Unit and the Home Office Sponsorship Unit. They call the services the API calls."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from concordat.errors import RuleViolation, StaleObject
from contacts import services
from contacts.forms import CheckForm, ContactForm, UnitForm
from contacts.models import Contact, Unit


def _status(violation) -> int:
    return 409 if isinstance(violation, StaleObject) else 400


@login_required
def directory(request):
    services.check_can_read(request.user)
    organisations = services.directory_organisations().prefetch_related("directory_units__last_checked_by")
    chosen = request.GET.get("organisation", "")
    if chosen:
        organisations = organisations.filter(slug=chosen[:50])
    contacts = Contact.objects.filter(organisation__in=organisations).select_related("unit", "last_checked_by")
    by_organisation: dict[int, list] = {}
    for contact in contacts:
        by_organisation.setdefault(contact.organisation_id, []).append(contact)
    now = timezone.now()
    entries = [{"organisation": org, "units": list(org.directory_units.all()),
                "contacts": by_organisation.get(org.pk, [])} for org in organisations]
    return render(request, "contacts/directory.html", {
        "entries": entries, "now": now, "may_keep": services.may_keep(request.user), "chosen": chosen,
        "all_organisations": services.directory_organisations(), "check_form": CheckForm()})


def _form_page(request, form, template: str, context: dict, done: str):
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = form.perform(request.user)
            except RuleViolation as violation:
                form.add_problems(violation)
                status = _status(violation)
            else:
                messages.success(request, done)
                return redirect(reverse("contacts:directory") + f"?organisation={saved.organisation.slug}")
    return render(request, template, {"form": form, **context}, status=status)


@login_required
def contact_new(request):
    services.check_can_keep(request.user)
    chosen = services.directory_organisations().filter(slug=request.GET.get("organisation", "")[:50]).first()
    form = ContactForm(request.POST or None, initial={"organisation": chosen.pk} if chosen else None)
    return _form_page(request, form, "contacts/contact_form.html", {"contact": None}, "Contact added.")


@login_required
def contact_edit(request, pk: int):
    services.check_can_keep(request.user)
    contact = Contact.objects.select_related("organisation", "unit").filter(pk=pk).first()
    if contact is None:
        raise Http404("No such contact.")
    form = ContactForm(request.POST or None, contact=contact)
    return _form_page(request, form, "contacts/contact_form.html", {"contact": contact}, "Contact changed.")


@login_required
def unit_new(request):
    services.check_can_keep(request.user)
    form = UnitForm(request.POST or None)
    return _form_page(request, form, "contacts/unit_form.html", {}, "Unit added.")


def _check(request, model, pk: int, service):
    services.check_can_keep(request.user)
    entry = model.objects.select_related("organisation").filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry in the directory.")
    form = CheckForm(request.POST)
    back = reverse("contacts:directory") + f"?organisation={entry.organisation.slug}"
    if not form.is_valid():
        return render(request, "contacts/check_refused.html", {"form": form, "back": back}, status=400)
    try:
        service(entry, by=request.user, expected_version=form.cleaned_data["version"])
    except RuleViolation as violation:
        form.add_problems(violation)
        return render(request, "contacts/check_refused.html", {"form": form, "back": back},
                      status=_status(violation))
    messages.success(request, f"{entry}: checked today.")
    return redirect(back)


@login_required
@require_POST
def contact_check(request, pk: int):
    return _check(request, Contact, pk, services.check_contact)


@login_required
@require_POST
def unit_check(request, pk: int):
    return _check(request, Unit, pk, services.check_unit)
