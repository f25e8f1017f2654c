from django.conf import settings
from django.db import models

from workflow.models import TimelineEntry


class Toy(models.Model):
    title = models.CharField(max_length=100)
    maker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, default="open")
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return self.title


class ToyEvent(TimelineEntry):
    toy = models.ForeignKey(Toy, on_delete=models.CASCADE, related_name="events")

    def __str__(self):
        return f"{self.toy_id} {self.action}"
