"""Forms of the public site's admin side."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from wagtail.images.forms import BaseImageForm

from solidar.publishing import images


class SiteImageForm(BaseImageForm):
    """Base of every Wagtail image form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): the add and
    edit views, the chooser's upload tab and both steps of the multiple uploader.

    A new file is stripped of its metadata while the form is validated, before anything
    is stored (``images.clean_upload``); the text alternative is required wherever the
    form shows it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].required = True

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # not the stored file of an image being edited
            images.clean_upload(upload)
        return upload

    class Meta(BaseImageForm.Meta):
        pass
