import uuid

from django.db import models

from solidar.core.fields import EncryptedTextField


class Secret(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    label = models.CharField(max_length=50, blank=True)
    note = EncryptedTextField()
    other = EncryptedTextField()

    def __str__(self) -> str:
        return self.label
