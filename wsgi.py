"""WSGI entry point: `gunicorn wsgi:app` or `flask --app wsgi ...`."""
from loket import create_app
from loket.serving import keep_long_lived_objects_out_of_collections

app = create_app()
keep_long_lived_objects_out_of_collections(app)
