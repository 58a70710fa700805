from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortalThrottle(models.Model):
    """One submission of the public form, kept only to rate-limit: a keyed hash of the sender's address (never
    the address itself) and the time, deleted after `TIP_PORTAL_THROTTLE_RETENTION`."""

    # What was attempted: submitting a tip, or looking up its status (which guards the secret from guessing).
    scope = models.CharField(max_length=20, default="submit")
    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="portal_throttle_lookup")]
        verbose_name = _("lượt gửi tin báo trực tuyến")
        verbose_name_plural = _("lượt gửi tin báo trực tuyến")

    def __str__(self):
        return f"{self.key[:8]}… {self.at:%d/%m/%Y %H:%M}"
