"""Placeholder: the history, compare and restore views are being written."""


def history_view(model_admin, request, object_id, extra_context=None):
    raise NotImplementedError


def compare_view(model_admin, request, object_id):
    raise NotImplementedError


def restore_view(model_admin, request, object_id, version_id):
    raise NotImplementedError
