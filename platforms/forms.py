"""The one platform form of the web pages: what a platform's own staff may keep current."""

from django import forms

from .models import Platform


class PlatformForm(forms.ModelForm):
    """Descriptive fields only (``access.PLATFORM_STAFF_FIELDS``); everything else about a
    platform is reference data that administrators change in the admin site."""

    class Meta:
        model = Platform
        fields = ["name_en", "description", "contact_name", "contact_phone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
