from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """django.contrib.admin, with rs_cms.admin.NewsroomAdminSite as admin.site."""

    default_site = "rs_cms.admin.NewsroomAdminSite"
