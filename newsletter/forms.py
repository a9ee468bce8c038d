from django import forms


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254, label="Email address")
