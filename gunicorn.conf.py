"""gunicorn's settings for rs_cms in production, from the environment (docs/deployment.md).

gunicorn reads this file from the working directory: `gunicorn` alone, run from the project
folder, serves rs_cms.wsgi with it."""

import os

# More workers than this would cost memory and PostgreSQL connections (each worker keeps its own
# for CONN_MAX_AGE) for little gain: add app servers instead.
MAX_WORKERS = 12


def available_cores():
    """CPUs this process may use: a container's or taskset's share, not the whole host's."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def workers_for(cores):
    """gunicorn's rule of thumb, two workers per core plus one, within MAX_WORKERS."""
    return max(1, min(2 * cores + 1, MAX_WORKERS))


def bind_from_env(environ):
    """BIND (comma-separated) if given; else every interface on PORT; else loopback only."""
    if environ.get("BIND"):
        return [address.strip() for address in environ["BIND"].split(",") if address.strip()]
    if environ.get("PORT"):
        return [f"0.0.0.0:{environ['PORT']}"]
    return ["127.0.0.1:8000"]


def access_log_from_env(value):
    """GUNICORN_ACCESS_LOG: off by default; 1/true for stdout, or a file path."""
    value = value.strip()
    if value.lower() in {"", "0", "false", "no", "off"}:
        return None
    if value.lower() in {"1", "true", "yes", "on", "-"}:
        return "-"
    return value


wsgi_app = "rs_cms.wsgi:application"
proc_name = "rs_cms"
bind = bind_from_env(os.environ)
workers = int(os.environ.get("WEB_CONCURRENCY") or workers_for(available_cores()))
# Above 1, gunicorn runs threaded workers (gthread), which also keep connections alive.
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# A request that takes longer than this is stuck: its worker is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On a deploy or restart, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Seconds an idle keep-alive connection stays open (threaded workers only; sync ones close).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Replace each worker after about this many requests, staggered, so a slow leak cannot grow.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# The load balancer or CDN logs every request already; errors always go to stderr.
accesslog = access_log_from_env(os.environ.get("GUNICORN_ACCESS_LOG", ""))
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Proxies whose X-Forwarded-Proto gunicorn believes ("*" behind a private load balancer).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Workers' heartbeat files in memory: a slow or full disk would get healthy workers killed.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# gunicornc's control socket only when asked for: none written into $HOME by default, and no
# clash between two servers (a benchmark beside the site) on the same machine.
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
if not control_socket_disable:
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]


def on_starting(server):
    """Warn when the workers would each keep a cache of their own."""
    cache_url = os.environ.get("CACHE_URL", "locmem://")
    if server.cfg.workers > 1 and not cache_url.startswith(("redis://", "rediss://")):
        server.log.warning(
            "CACHE_URL is %s: each of the %d workers keeps its own cache, so an edit may not "
            "reach cached pages served by the others, and rate limits count per worker. "
            "Set CACHE_URL=redis://… (docs/deployment.md).",
            cache_url,
            server.cfg.workers,
        )
