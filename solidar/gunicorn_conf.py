"""gunicorn settings: an access log without addresses, and nothing else that leaks.

The access log keeps time, method, path (without query string, token-like segments
masked: see gunicorn_log.py), status, size and duration. No %(h)s (remote address),
no %(q)s (query strings can carry tokens), no referrer and no user agent.
"""

import os

bind = os.environ.get("SOLIDAR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("SOLIDAR_THREADS", "1"))
worker_class = "sync" if threads == 1 else "gthread"
timeout = 30
graceful_timeout = 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("SOLIDAR_ACCESS_LOG", "-") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
# Paths with a secret in them (personal links, feeds, reset keys) are logged masked.
logger_class = "solidar.gunicorn_log.MaskingLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "solidar"
# No control socket in $HOME: several instances (tests, benchmarks) run side by side.
control_socket_disable = True


def post_worker_init(worker):
    """Move everything loaded at start-up (Django, Wagtail, the URL and template caches'
    first fill) out of the garbage collector's sight, and collect the youngest objects
    less often: a request allocates tens of thousands of short-lived objects, and each
    full collection would otherwise walk the whole framework (a p95 spike of tens of ms)."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
