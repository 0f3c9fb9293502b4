"""JSON Schemas (OpenAPI 3.1 = JSON Schema 2020-12) of request bodies and responses.

Body schemas are enforced by validation.py before a view runs; response schemas describe what
serializers.py writes. Both go into the OpenAPI document unchanged, so what is documented is what is
checked. Unknown body fields are refused (additionalProperties: false).
"""
from loket.models import (
    CATEGORY_SCOPES, CLUB_KINDS, CRITERION_KINDS, EVENT_KINDS, LOKET_STATUSES, REFERRAL_STATES, ROLES, RUN_STATES,
    STATUSES,
)

TEAM_TYPES = ("loket", "bond")
# Ids are 32-bit integers in the database; a larger number names nothing (and PostgreSQL would refuse it).
MAX_ID = 2**31 - 1


def string(description: str | None = None, **extra) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **extra}


def nullable(type_name: str, description: str | None = None, **extra) -> dict:
    return {"type": [type_name, "null"], **({"description": description} if description else {}), **extra}


def obj(properties: dict, *, optional: tuple[str, ...] = (), description: str | None = None) -> dict:
    """A closed object: every property required unless listed in `optional`, nothing else allowed."""
    schema = {"type": "object", "properties": properties,
              "required": [name for name in properties if name not in optional], "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict, **extra) -> dict:
    return {"type": "array", "items": items, **extra}


DATETIME = nullable("string", "ISO 8601 in UTC, bijvoorbeeld 2026-03-02T09:00:00Z.", format="date-time")
DATETIME_SET = string("ISO 8601 in UTC, bijvoorbeeld 2026-03-02T09:00:00Z.", format="date-time")

# ---------------------------------------------------------------- request bodies

TEAM_TARGET = obj({
    "type": {"type": "string", "enum": list(TEAM_TYPES)},
    "id": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": MAX_ID},
                     {"type": "string", "minLength": 1, "maxLength": 80}],
           "description": "Het numerieke id van het loket of de bond, of de slug van het loket / de key van de bond."},
}, description="Een loket of bond.")

TOKEN_BODY = obj({"email": string(maxLength=254), "password": string(maxLength=1024)})

LOKET_BODY = obj({
    "name": string(maxLength=160),
    "slug": string("Kleine letters, cijfers en streepjes; uniek.", maxLength=80),
    "gemeenten": array(string("CBS-code, bijvoorbeeld GM0344.", maxLength=6), minItems=1, maxItems=400),
    "status": {"type": "string", "enum": list(LOKET_STATUSES), "default": "in_oprichting"},
}, optional=("status",))

CLUB_BODY = obj({
    "name": string(maxLength=200),
    "kind": {"type": "string", "enum": list(CLUB_KINDS)},
    "gemeente": string("CBS-code van de gemeente van de club.", maxLength=6),
    "sports": array(string(maxLength=80), maxItems=50),
}, optional=("sports",))

MEMBERSHIP_BODY = obj({
    "role": {"type": "string", "enum": list(ROLES)},
    "club": {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": "Bij rol club: het id van de club."},
    "loket": string("Bij rol clubondersteuner: de slug van het loket.", maxLength=80),
    "bond": string("Bij rol bondsspecialist: de key van de bond.", maxLength=40),
    "team_lead": {"type": "boolean", "default": False},
}, optional=("club", "loket", "bond", "team_lead"))

USER_BODY = obj({
    "email": string(maxLength=254),
    "name": string(maxLength=120),
    "password": string("Minstens 10 tekens.", maxLength=1024),
    "memberships": array(MEMBERSHIP_BODY, minItems=1, maxItems=20),
})

BOND_PATCH_BODY = obj({"aangesloten": {"type": "boolean"}})

REQUEST_BODY = obj({
    "club": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
             "description": "Het id van een club waarvan je contactpersoon bent."},
    "category": string("De slug van een actieve categorie (GET /api/v1/categories).", maxLength=80),
    "sport": nullable("string", "De naam van de sport; verplicht bij een sportspecifieke categorie.", maxLength=80),
    "title": string("Hooguit 200 tekens."),
    "description": string(),
}, optional=("sport",))

MESSAGE_BODY = obj({
    "body": string(),
    "internal": {"type": "boolean", "default": False,
                 "description": "true: interne notitie (alleen ondersteuners); false: reactie aan de club."},
}, optional=("internal",))

STATUS_BODY = obj({
    "status": {"type": "string", "enum": list(STATUSES)},
    "version": {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                "description": "De versie die je las; wijkt die af, dan volgt 409 in plaats van overschrijven."},
}, optional=("version",))

REFERRAL_BODY = obj({"to": TEAM_TARGET, "reason": string("Waarom je doorverwijst.")})

DECLINE_BODY = obj({"reason": string("Waarom je de doorverwijzing afwijst.")})

COLLABORATOR_BODY = obj({"team": TEAM_TARGET, "reason": nullable("string")},
                        optional=("reason",))

COLLABORATOR_END_BODY = obj({"team": TEAM_TARGET})

# ---------------------------------------------------------------- responses

TEAM_REF = obj({
    "type": {"type": "string", "enum": ["loket", "bond", "fallback"]},
    "id": nullable("integer", "Het id van het loket of de bond; null voor de opvang van het coördinatiepunt."),
    "name": string(),
    "team_id": {"type": "integer"},
})
NAMED = obj({"id": {"type": "integer"}, "name": string()})

REFERRAL = obj({
    "id": {"type": "integer"}, "request_id": {"type": "integer"},
    "state": {"type": "string", "enum": list(REFERRAL_STATES)},
    "from": ref("TeamRef"), "to": ref("TeamRef"), "reason": string(),
    "created_at": DATETIME_SET, "due_at": DATETIME_SET, "decided_at": DATETIME,
    "decline_reason": nullable("string"),
})

_SUPPORTER_ONLY = ("version", "priority", "assignee", "first_response_at", "due_at", "first_response_due_at",
                   "resolution_due_at", "open_referral")
_REQUEST_PROPERTIES = {
    "id": {"type": "integer"}, "reference": string("Publiek kenmerk, bijvoorbeeld LK-2026-000123."),
    "title": string(), "status": {"type": "string", "enum": list(STATUSES)},
    "category": ref("Category"), "sport": nullable("string"), "club": NAMED, "owner": ref("TeamRef"),
    "created_at": DATETIME_SET, "updated_at": DATETIME_SET, "resolved_at": DATETIME, "closed_at": DATETIME,
    "version": {"type": "integer", "description": "Alleen voor ondersteuners."},
    "priority": {"type": "string", "enum": ["laag", "normaal", "hoog"], "description": "Alleen voor ondersteuners."},
    "assignee": {"oneOf": [NAMED, {"type": "null"}], "description": "Alleen voor ondersteuners."},
    "first_response_at": DATETIME, "due_at": DATETIME, "first_response_due_at": DATETIME,
    "resolution_due_at": DATETIME,
    "open_referral": {"oneOf": [ref("Referral"), {"type": "null"}], "description": "Alleen voor ondersteuners."},
}
REQUEST_SUMMARY = obj(_REQUEST_PROPERTIES, optional=_SUPPORTER_ONLY,
                      description="Een aanvraag. Clubcontacten krijgen de velden voor ondersteuners niet.")

EVENT = obj({
    "id": {"type": "integer"}, "kind": {"type": "string", "enum": list(EVENT_KINDS)},
    "created_at": DATETIME_SET, "public": {"type": "boolean"}, "body": nullable("string"),
    "actor": {"oneOf": [obj({"id": {"type": "integer"}, "name": string()}, optional=("id",)), {"type": "null"}],
              "description": "Clubcontacten zien alleen de naam, en alleen bij indienen en reacties."},
    "data": {"type": "object", "description": "Details per soort gebeurtenis (clubs: alleen publieke details)."},
})

COLLABORATOR = obj({"team": ref("TeamRef"), "since": DATETIME_SET, "reason": nullable("string")})

REQUEST_DETAIL = obj({
    **_REQUEST_PROPERTIES,
    "description": string(),
    "timeline": array(ref("Event"), description="Clubs: alleen publieke stappen. Ondersteuners: alles."),
    "collaborators": array(ref("Collaborator"), description="Alleen voor ondersteuners."),
    "permissions": obj({"manage": {"type": "boolean"}, "reply": {"type": "boolean"}, "note": {"type": "boolean"}},
                       description="Alleen voor ondersteuners: wat jouw team met deze aanvraag mag."),
}, optional=(*_SUPPORTER_ONLY, "collaborators", "permissions"))

CATEGORY = obj({"slug": string(), "name": string(), "scope": {"type": "string", "enum": list(CATEGORY_SCOPES)}})

LOKET = obj({
    "id": {"type": "integer"}, "slug": string(), "name": string(),
    "status": {"type": "string", "enum": list(LOKET_STATUSES)}, "aangehaakt": {"type": "boolean"},
    "team_id": nullable("integer", "Het team van het loket: doel voor doorverwijzen en inschakelen."),
    "gemeenten": array(obj({"code": string(), "name": string()})),
    "email": nullable("string"), "phone": nullable("string"), "address": nullable("string"),
    "opening_hours": nullable("string"),
})

BOND = obj({
    "id": {"type": "integer"}, "key": string("Unieke sleutel, ook in de URL."), "abbreviation": string(),
    "name": string(), "aangesloten": {"type": "boolean"},
    "aangesloten_at": nullable("string", "Datum (JJJJ-MM-DD).", format="date"),
    "team_id": nullable("integer", "Het team van de bond: doel voor doorverwijzen en inschakelen."),
    "sports": array(string()),
})

CLUB = obj({
    "id": {"type": "integer"}, "name": string(), "kind": {"type": "string", "enum": list(CLUB_KINDS)},
    "gemeente": obj({"code": string(), "name": string()}),
    "loket_id": nullable("integer", "Het loket van de gemeente van de club, als die er een heeft."),
    "sports": array(string()), "kvk_number": nullable("string"), "created_at": DATETIME_SET,
})

MEMBERSHIP = obj({
    "role": {"type": "string", "enum": list(ROLES)}, "team_lead": {"type": "boolean"},
    "club": nullable("integer"), "loket": nullable("string"), "bond": nullable("string"),
    "organisation": nullable("string", "De naam van de club, het loket of de bond."),
})

USER = obj({
    "id": {"type": "integer"}, "email": string(format="email"), "name": string(), "active": {"type": "boolean"},
    "created_at": DATETIME_SET, "last_login_at": DATETIME, "memberships": array(ref("Membership")),
})

TOKEN = obj({
    "token": string("Het geheime token; wordt maar één keer getoond."),
    "token_type": {"type": "string", "enum": ["Bearer"]},
    "expires_at": DATETIME,
})

QUALITY_RUN = obj({
    "id": {"type": "integer"}, "state": {"type": "string", "enum": list(RUN_STATES)},
    "period": string("De meetmaand, als haar eerste dag (JJJJ-MM-DD).", format="date"),
    "criteria_done": {"type": "integer"}, "criteria_total": {"type": "integer"},
    "created_at": DATETIME_SET, "started_at": DATETIME, "finished_at": DATETIME,
}, description="Een herberekening van de metingen: queued, running, done of failed, met voortgang per criterium.")

OVERVIEW_LOKET = obj({
    "slug": string(), "name": string(), "status": {"type": "string", "enum": list(LOKET_STATUSES)},
    "aangehaakt": {"type": "boolean"}, "provinces": array(string()), "gemeenten": {"type": "integer"},
    "voldoet": {"type": "boolean"},
    "criteria": {"type": "object", "additionalProperties": {"type": ["boolean", "null"]},
                 "description": "Per code van de huidige criteriaset: true (gehaald), false (niet gehaald), "
                                "null (nog niet gemeten, niet meetbaar of niet beoordeeld)."},
    "trend": {"type": ["string", "null"], "enum": ["beter", "gelijk", "slechter", None],
              "description": "Gehaalde meetbare criteria in de laatste gemeten maand tegenover de maand ervoor."},
})

OVERVIEW = obj({
    "as_of": string("De datum van de stand (JJJJ-MM-DD).", format="date"),
    "criteria_set": nullable("string", "De versie van de criteriaset in gebruik, bijvoorbeeld 2026.1."),
    "gemeenten_total": {"type": "integer"},
    "gemeenten_covered": {"type": "integer", "description": "Gemeenten die een operationeel loket hebben."},
    "loketten_total": {"type": "integer"}, "loketten_operationeel": {"type": "integer"},
    "loketten_aangehaakt": {"type": "integer"}, "loketten_voldoen": {"type": "integer"},
    "bonden_total": {"type": "integer"}, "bonden_aangesloten": {"type": "integer"},
    "targets": obj({"gemeenten_covered": {"type": "integer"}, "loketten_voldoen": {"type": "integer"},
                    "bonden_aangesloten": {"type": "integer"}}, description="De doelen voor 2026."),
    "criteria": array(obj({"code": string(), "title": string(),
                           "kind": {"type": "string", "enum": list(CRITERION_KINDS)}})),
    "loketten": array(ref("OverviewLoket")),
    "latest_run": {"oneOf": [ref("QualityRun"), {"type": "null"}],
                   "description": "De laatst aangevraagde herberekening, of null."},
})

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details; `detail` is Dutch and meant for people.",
    "properties": {
        "type": string(format="uri-reference"), "title": string(), "status": {"type": "integer"},
        "detail": string(),
        "errors": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "Bij 422: per veld (pad zoals `to.id`) een Nederlandse melding."},
    },
    "required": ["type", "title", "status", "detail"],
    "additionalProperties": False,
}


def paged(item: str) -> dict:
    return obj({
        "items": array(ref(item)), "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "total": {"type": "integer"}, "pages": {"type": "integer"},
    })


COMPONENTS = {
    "OpenApiDocument": {"type": "object", "description": "Een OpenAPI 3.1-document (dit document)."},
    "Problem": PROBLEM,
    "Token": TOKEN,
    "TeamRef": TEAM_REF,
    "Category": CATEGORY,
    "CategoryList": obj({"items": array(ref("Category"))}),
    "Loket": LOKET,
    "LoketPage": paged("Loket"),
    "Bond": BOND,
    "BondPage": paged("Bond"),
    "Club": CLUB,
    "ClubPage": paged("Club"),
    "Membership": MEMBERSHIP,
    "User": USER,
    "UserPage": paged("User"),
    "RequestSummary": REQUEST_SUMMARY,
    "RequestPage": paged("RequestSummary"),
    "RequestDetail": REQUEST_DETAIL,
    "Event": EVENT,
    "Referral": REFERRAL,
    "Collaborator": COLLABORATOR,
    "QualityRun": QUALITY_RUN,
    "OverviewLoket": OVERVIEW_LOKET,
    "Overview": OVERVIEW,
}
