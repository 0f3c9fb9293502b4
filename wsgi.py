"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""
import gc

from loket import create_app

app = create_app()
# Everything made while starting (modules, the app, compiled templates) lives as long as the process: kept out of
# the garbage collector's full collections, which otherwise walk it all — a pause of ~130 ms every dozen pages
# of the busiest ones, measured with `make bench`.
gc.freeze()
