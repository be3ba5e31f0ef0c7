"""Forms of the second-opinion journey. They parse input; the rules live in
``actions``. Every error names its field ("Имейл: …"), so it reads well in a summary."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zdrave.base.documents.models import FileKind
from zdrave.base.ui.forms import LabelledErrorsForm
from zdrave.member_services.second_opinion.models import ImagesDelivery, Sex
from zdrave.member_services.specialists.display import language_names

UPLOAD_ACCEPT = ".pdf,.docx,.jpg,.jpeg,.png,.dcm,application/dicom"


class RequestForm(LabelledErrorsForm):
    """000 а) стъпка 5: "Вашия имейл адрес за връзка и наличната медицинска документация"."""

    email = forms.EmailField(label=_("E-mail for contact"), max_length=254)
    documents_description = forms.CharField(
        label=_("Medical documents at hand"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "List the documents you have: discharge letters, test results, scans (CT, MRI, "
            "X-ray) and their dates. You upload them later, when you complete the order."
        ),
    )


class QuestionForm(LabelledErrorsForm):
    """000 а) стъпка 12: sex, age and the question."""

    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    age = forms.IntegerField(label=_("Age"), min_value=0, max_value=120)
    question = forms.CharField(
        label=_("Your question to the specialist"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    question_language = forms.ChoiceField(label=_("Language of the question"))

    def __init__(self, *args, languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        names = language_names(languages)
        self.fields["question_language"].choices = list(zip(languages, names, strict=True))


class UploadForm(LabelledErrorsForm):
    """000 а) стъпка 13: one file at a time, validated by its content."""

    kind = forms.ChoiceField(
        label=_("What is it?"), choices=FileKind.choices, initial=FileKind.TEXT_DOCUMENT
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "Text documents: PDF, DOCX or a photo of a page. Images: JPEG, PNG or DICOM. Up to 20 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": UPLOAD_ACCEPT}),
    )


class ImagesForm(LabelledErrorsForm):
    images_delivery = forms.ChoiceField(
        label=_("How do your medical images reach us?"),
        choices=ImagesDelivery.choices,
        widget=forms.RadioSelect,
    )
    images_link = forms.URLField(
        label=_("Link to the images"), required=False, max_length=500, assume_scheme="https"
    )


class ReviewForm(LabelledErrorsForm):
    """000 а) стъпка 14: what goes to the specialist and the report's language."""

    send = forms.MultipleChoiceField(
        label=_("Files for the specialist"), required=False, widget=forms.CheckboxSelectMultiple
    )
    report_language = forms.ChoiceField(label=_("Language of the report"), widget=forms.RadioSelect)

    def __init__(self, *args, files, report_languages: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["send"].choices = [(str(f.pk), f.file.original_name) for f in files]
        names = language_names(report_languages)
        self.fields["report_language"].choices = list(zip(report_languages, names, strict=True))

    def send_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["send"]]


class TermsForm(LabelledErrorsForm):
    """000 а) стъпка 15: "трябва да се съгласите с Условията за ползване"."""

    accept = forms.BooleanField(label=_("I have read and agree to the Terms of Use"), required=True)
    version = forms.CharField(widget=forms.HiddenInput)


class ForwardForm(LabelledErrorsForm):
    specialist = forms.ModelChoiceField(label=_("Forward to"), queryset=None, empty_label=None)

    def __init__(self, *args, specialists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialist"].queryset = specialists


class ReportForm(LabelledErrorsForm):
    report = forms.FileField(
        label=_("Report (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )


class ChatForm(LabelledErrorsForm):
    body = forms.CharField(
        label=_("Message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
