"""Schemathesis hooks for Koers (loaded through SCHEMATHESIS_HOOKS by the `schemathesis` test).

A schema-valid request can still be refused for reasons no schema can state: an id that does not
exist in this organisation, an action code that is already taken, a date in the future, a version
in If-Match that someone else has changed since. So that the positive cases reach the code behind
those checks (and their 2xx answers are checked against the document), this hook points each
positive case at data that exists: the year and action of the demo, a theme and subteam of the
organisation, a fresh action code, a date near the programme year (and not after today) and
the action's current ETag.
Negative cases are left as generated: the server must refuse them whatever they point at.

The values come from the environment, set by the test:
KOERS_ST_URL, KOERS_ST_KEY, KOERS_ST_YEAR, KOERS_ST_CODE, KOERS_ST_THEMA, KOERS_ST_TREKKER,
KOERS_ST_TODAY (yyyy-mm-dd), KOERS_ST_ROUND_YEAR (this year, whose programme the test makes).
"""

import base64
import datetime
import itertools
import os

import requests
import schemathesis

URL = os.environ["KOERS_ST_URL"]
KEY = os.environ["KOERS_ST_KEY"]
YEAR = int(os.environ["KOERS_ST_YEAR"])
CODE = os.environ["KOERS_ST_CODE"]
THEMA = int(os.environ["KOERS_ST_THEMA"])
TREKKER = int(os.environ["KOERS_ST_TREKKER"])
TODAY = datetime.date.fromisoformat(os.environ["KOERS_ST_TODAY"])
ROUND_YEAR = int(os.environ["KOERS_ST_ROUND_YEAR"])
FRESH_CODES = (f"ST{n}" for n in itertools.count(1))


def _positive(case):
    meta = case.meta
    return meta is not None and meta.generation.mode.is_positive


# Where the version of a resource is read: the logo has the version of the house style.
ETAG_SOURCES = {
    "/huisstijl": "/huisstijl",
    "/huisstijl/logo": "/huisstijl",
    "/briefsjabloon": "/briefsjabloon",
    "/risicomodel": "/risicomodel",
    "/lhs-matrix": "/lhs-matrix",
}
SAFE_LOGO = base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
).decode()


def _current_etag(path=None):
    reply = requests.get(
        f"{URL}/api/v1{path or f'/programmas/{YEAR}/acties/{CODE}'}",
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=10,
    )
    return reply.headers.get("ETag")


@schemathesis.hook
def map_case(context, case):
    if not _positive(case):
        return case
    if "jaar" in case.path_parameters:
        case.path_parameters["jaar"] = YEAR
    if "code" in case.path_parameters:
        case.path_parameters["code"] = CODE
    body = case.body
    if isinstance(body, dict):
        if "themaId" in body:
            body["themaId"] = THEMA
        if "trekkerId" in body:
            body["trekkerId"] = TREKKER
        # Ambitions, partners, opgaven and predecessors are left out: which ones fit depends on
        # the theme and the previous year, and the end-to-end tests cover those rules.
        for key in ("bijdragendeSubteamIds", "partnerIds", "opgaveIds"):
            if key in body:
                body[key] = []
        if "aandelen" in body:
            # A share belongs to a contributing subteam, and there are none here.
            body["aandelen"] = []
        for key in ("ambitieId", "voorgangerId"):
            if key in body:
                body[key] = None
        if body.get("herkomst") == "doorgeschoven":
            # Without a predecessor an action is new: "doorgeschoven" needs one once last
            # year's programme is in Koers.
            body["herkomst"] = "nieuw_evaluatie"
        if "code" in body:
            # A new action needs a free code; a replaced one keeps its own, so the next case finds it.
            body["code"] = CODE if case.method.upper() == "PUT" else next(FRESH_CODES)
        datum = body.get("datum")
        if isinstance(datum, str):
            # A report belongs to its programme year (late reports until 31 January of the
            # year after), and is never dated in the future.
            earliest = datetime.date(YEAR, 1, 1)
            latest = min(TODAY, datetime.date(YEAR + 1, 1, 31))
            try:
                day = datetime.date.fromisoformat(datum)
                body["datum"] = min(max(day, earliest), latest).isoformat()
            except ValueError:
                pass
        # The house style needs a colour dark enough for headings, the logo a real PNG or SVG
        # and the letter template only known placeholders: rules no schema can state.
        if "kleur" in body:
            body["kleur"] = "#1f4e79"
        if case.path == "/huisstijl/logo" and "inhoud" in body:
            body["inhoud"] = SAFE_LOGO
        # A task field's figures: decided within the term is at most the number decided.
        in_term = body.get("beslistBinnenTermijn")
        if isinstance(in_term, int):
            decided = body.get("beslist")
            body["beslist"] = max(decided if isinstance(decided, int) else 0, in_term)
        if case.path == "/briefsjabloon" and "tekst" in body:
            body["tekst"] = "Geachte leden van de raad,\n\nHierbij het programma."
    # A progress round opens today with a deadline still to come, so it belongs to the
    # programme of this year, which the test makes; a second open round is a 409.
    if case.path == "/programmas/{jaar}/rondes" and case.method.upper() == "POST":
        case.path_parameters["jaar"] = ROUND_YEAR
        if isinstance(body, dict) and "deadline" in body:
            body["deadline"] = (TODAY + datetime.timedelta(days=2)).isoformat()
    # The risk model: classes from 1 to 25 without gaps, and a weight that counts when the
    # weighted mean is chosen. An analysis scores every criterion of the current model.
    if isinstance(body, dict) and case.path == "/risicomodel":
        body["klassen"] = [
            {"naam": "Laag", "van": 1, "tot": 5},
            {"naam": "Midden", "van": 6, "tot": 10},
            {"naam": "Hoog", "van": 11, "tot": 25},
        ]
        if isinstance(body.get("criteria"), list) and body["criteria"]:
            first = body["criteria"][0]
            if isinstance(first, dict):
                first["gewicht"] = max(first.get("gewicht") or 0, 1)
    if isinstance(body, dict) and case.path == "/risicoanalyses/{taakveld}":
        model = requests.get(
            f"{URL}/api/v1/risicomodel",
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=10,
        ).json()
        body["effecten"] = [3] * len(model.get("criteria", []))
    # Indicators: an existing one, a fresh name, no ambitions (which depend on the plan) and
    # each target year once.
    if "indicator" in case.path_parameters:
        indicators = requests.get(
            f"{URL}/api/v1/indicatoren",
            headers={"Authorization": f"Bearer {KEY}"},
            timeout=10,
        ).json()
        if indicators:
            case.path_parameters["indicator"] = indicators[0]["id"]
    if isinstance(body, dict) and case.path.startswith("/indicatoren"):
        if "naam" in body:
            body["naam"] = f"ST-indicator {next(FRESH_CODES)}"
        if "ambitieIds" in body:
            body["ambitieIds"] = []
        if isinstance(body.get("streefwaarden"), list):
            seen = set()
            unique = []
            for target in body["streefwaarden"]:
                year = target.get("jaar") if isinstance(target, dict) else None
                if year not in seen:
                    seen.add(year)
                    unique.append(target)
            body["streefwaarden"] = unique
    if case.method.upper() in ("PUT", "DELETE") and "If-Match" in case.headers:
        source = ETAG_SOURCES.get(case.path)
        if case.path == "/risicoanalyses/{taakveld}":
            source = f"/risicoanalyses/{case.path_parameters['taakveld']}"
        if case.path == "/indicatoren/{indicator}":
            source = f"/indicatoren/{case.path_parameters['indicator']}"
        etag = _current_etag(source)
        if etag:
            case.headers["If-Match"] = etag
    return case
