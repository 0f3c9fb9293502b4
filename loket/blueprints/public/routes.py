"""Public directory views (see the package docstring): search, a gemeente's page, a loket's page.

Visitors who are not logged in get answers any cache may keep for five minutes, with an ETag so a
repeat visit is a 304. A logged-in user's page carries their menu (and a CSRF token), so it is private
and never stored; so is any page that touched the session (a flash message shown once).
"""
from flask import make_response, redirect, render_template, request, session, url_for
from flask_login import current_user

from loket.access import PUBLIC, allow
from loket.blueprints.public import bp
from loket.services.errors import InvalidInput, NotFound
from loket.services.network import agreements, directory

PUBLIC_MAX_AGE = 300
CACHEABLE_STATUSES = (200, 301, 302)


@bp.route("/vind-je-loket")
@allow(PUBLIC)
def find():
    query = request.args.get("q", "")
    hits, error, status = [], None, 200
    try:
        hits = directory.find_gemeenten(query)
    except InvalidInput as invalid:
        error, status = invalid.errors["q"], 400
    exact = [hit for hit in hits if hit.exact]
    if len(exact) == 1 or len(hits) == 1:
        return _public(redirect(url_for("public.gemeente", code=(exact or hits)[0].code)))
    page = render_template("public/find.html", query=query, searched=bool(query.strip()), hits=hits,
                           error=error, names=directory.gemeente_names())
    return _public(page, status)


@bp.route("/gemeenten/<code>")
@allow(PUBLIC)
def gemeente(code):
    try:
        page = directory.gemeente_page(code)
    except NotFound as error:
        return _not_found(error)
    if page.code != code:  # gm0344 → GM0344: one address per gemeente
        return _public(redirect(url_for("public.gemeente", code=page.code), 301))
    return _public(render_template("public/gemeente.html", page=page, questions=agreements.where_questions_go()))


@bp.route("/loketten/<slug>")
@allow(PUBLIC)
def loket(slug):
    try:
        page = directory.loket_page(slug)
    except NotFound as error:
        return _not_found(error)
    if page.loket.slug != slug:
        return _public(redirect(url_for("public.loket", slug=page.loket.slug), 301))
    return _public(render_template("public/loket.html", page=page, questions=agreements.where_questions_go()))


def _not_found(error: NotFound):
    return render_template("errors/error.html", code=404, message=error.message), 404


def _public(body, status: int = 200):
    """The answer with its caching rules (module docstring); a conditional GET may become a 304."""
    response = make_response(body, status) if isinstance(body, str) else body
    if current_user.is_authenticated or session.modified:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    if response.status_code not in CACHEABLE_STATUSES:  # a mistyped search is nobody else's answer
        return response
    response.cache_control.public = True
    response.cache_control.max_age = PUBLIC_MAX_AGE
    response.vary.add("Cookie")  # a logged-in visitor must not get the visitors' copy from a cache
    if response.status_code == 200:
        response.add_etag()
        response.make_conditional(request)
    return response
