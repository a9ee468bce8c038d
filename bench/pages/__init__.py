"""The site bench (bench/site.py): the public pages under gunicorn on PostgreSQL, driven by wrk."""
