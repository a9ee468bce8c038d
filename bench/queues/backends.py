"""The task backends compared, each with the settings it is measured in and its worker."""

import importlib.util

DB_WORKER = ["manage.py", "db_worker", "--no-reload", "--interval", "1"]
RQ_WORKER = ["manage.py", "rqworker", "default", "--job-class", "django_tasks_rq.Job"]
# Each backend: its label, the settings it is measured with, the alias of its backend there,
# and its worker.
BACKENDS = {
    "database": ("django-tasks-db, PostgreSQL", "rs_cms.settings", "default", DB_WORKER),
    "rq": ("django-tasks-rq, Redis", "bench.rq_settings", "rq", RQ_WORKER),
}


def rq_importable():
    return all(importlib.util.find_spec(name) for name in ("django_tasks_rq", "django_rq"))
