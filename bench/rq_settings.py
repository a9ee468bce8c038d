"""The site's settings plus django-tasks-rq as a second task backend ("rq"), for bench/queues/."""

# RQ is measured as the alternative to the database queue, not used by the project. It cannot
# be the default backend here: RQBackend does not support priorities, and the site's tasks are
# declared with one (mail before renditions), which it refuses when they are defined. Queues on
# the Redis that BENCH_RQ_URL names; "down" points at BENCH_RQ_DOWN_URL, where nothing listens,
# to see what an enqueue does when Redis is unreachable.

import os

from rs_cms.settings import *  # noqa: F403
from rs_cms.settings import INSTALLED_APPS, TASKS

INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]
RQ_QUEUES = {
    "default": {"URL": os.environ["BENCH_RQ_URL"]},
    "down": {"URL": os.environ["BENCH_RQ_DOWN_URL"], "SOCKET_CONNECT_TIMEOUT": 1},
}
TASKS = {
    **TASKS,
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default", "down"]},
}
