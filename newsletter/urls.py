from django.urls import path

from newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/", views.NewsletterDetailView.as_view(), name="detail"),
    path("<slug:slug>/<int:number>/", views.IssueDetailView.as_view(), name="issue"),
]
