"""Telling people: each notification goes once (the Notification row is written in the same transaction as
the email, under a unique key), lands in the person's list in the service, and carries a link to its case.
Subjects and bodies carry the marking first and last, the reference and what happened, never the content."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from concordat.links import absolute_url
from workflow.models import Notification

FOOTER = "Do not reply to this email with any of the information."


def send_once(*, case_type=None, case=None, kind: str, milestone: str, recipient, subject: str, lines: list[str],
              marking: str, link: str = "") -> bool:
    """Send unless this (case, kind, milestone, recipient) was sent before; True if sent now."""
    link = link or (case_type.link(case) if case is not None else "")
    body = email_body(lines, marking, link)
    try:
        with transaction.atomic():
            _, created = Notification.objects.get_or_create(
                case_kind=case_type.kind if case is not None else "", case_id=case.pk if case is not None else None,
                kind=kind, milestone=milestone, recipient=recipient,
                defaults={"subject": subject[:250], "sent_at": timezone.now(), "marking": marking, "link": link,
                          "case_reference": case_type.reference(case) if case is not None else ""})
            if created and recipient.email:
                send_mail(subject, body, None, [recipient.email])
    except IntegrityError:  # another worker sent it a moment ago
        return False
    return created


def email_body(lines: list[str], marking: str, link: str) -> str:
    where = f"Open it in Concordat: {absolute_url(link)}" if link else "Sign in to Concordat to see it."
    return "\n".join([marking, "", *lines, "", where, FOOTER, "", marking])


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, ids=None) -> int:
    """Mark the person's own notifications read (all of them, or those ids). No audit event: reading
    one's own notifications changes nothing about any case."""
    mine = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())
