from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.documents.models import FileKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=FileKind.choices, initial=FileKind.TEXT_DOCUMENT
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, DOCX, JPEG, PNG or DICOM, up to 20 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png,.dcm,application/dicom"}
        ),
    )
