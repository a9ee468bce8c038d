"""The task-queue bench (bench/task_backends.py): django-tasks-db against django-tasks-rq."""
