from django import forms


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")
    newsletter = forms.SlugField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(required=False, label="Leave this empty")

    def is_bot(self):
        return bool(self.data.get("website"))
