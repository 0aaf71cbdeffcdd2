"""The report as a FHIR R4 Bundle (JSON), for a clinic's system: a ``collection`` of a Patient (only the
name the person gave, when they gave one), a QuestionnaireResponse for each screening, each STarT Back
questionnaire and each weekly better-or-worse answer, each marked as answered by voice (the
questionnaireresponse-completionMode extension, code VERBAL of v3-ParticipationMode), and an Observation
for each daily 0-10 rating (LOINC 72514-3, "Pain severity - 0-10 verbal numeric rating [Score] -
Reported", the body site as text).

Only elements and codes that R4 (4.0.1) and R4B share are used; the tests validate the bundle with the
``fhir.resources`` R4B models. ``check_bundle`` makes the checks that library does not: the codes, the
ranges, the completion mode, the dates and the references within the bundle. Ids are derived from the
records (UUID 5), so the same records give the same bundle.
"""

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from voicecare.diary.report import Report, StartBackRow
from voicecare.records import CHANGE_ANSWERS, Rating, ScreeningRecord
from voicecare.screening.findings import Screening

LOINC = "http://loinc.org"
PAIN_SEVERITY_0_10 = "72514-3"
PAIN_SEVERITY_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
COMPLETION_MODE_URL = "http://hl7.org/fhir/StructureDefinition/questionnaireresponse-completionMode"
PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
QR_STATUSES = {"complete": "completed", "in_progress": "in-progress", "incomplete": "stopped"}
BODY_SITES = {"back_pain": "Back", "leg_pain": "Leg"}
_NAMESPACE = uuid.UUID("0b8f2f6e-5d1c-4e57-9a43-6f1d3c2b7a10")
Resource = dict[str, Any]


def completion_mode() -> Resource:
    """The extension saying a questionnaire was answered by voice."""
    return {
        "url": COMPLETION_MODE_URL,
        "valueCodeableConcept": {
            "coding": [{"system": PARTICIPATION_MODE, "code": "VERBAL", "display": "verbal"}]
        },
    }


def bundle(report: Report, screening: Screening, now: datetime | None = None) -> Resource:
    """The report as a FHIR R4 Bundle of type ``collection``."""
    key = report.name or "unnamed"
    patient_url = _urn("patient", key)
    subject = {"reference": patient_url}
    patient: Resource = {"resourceType": "Patient", "id": _id(patient_url)}
    if report.name is not None:
        patient["name"] = [{"text": report.name}]
    entries: list[tuple[str, Resource]] = [(patient_url, patient)]
    for record in report.screenings:
        url = _urn("screening", key, record.session_id)
        entries.append((url, _screening_response(url, record, subject, screening)))
    for row in report.startbacks:
        url = _urn("startback", key, row.session_id)
        entries.append((url, _startback_response(url, row, subject)))
    for index, change in enumerate(report.changes):
        url = _urn("change", key, change.on.isoformat(), index)
        items = [
            _item(
                "global_change",
                "Compared with when you started, is your back pain better or worse?",
                change.answer,
            )
        ]
        entries.append((url, _response(url, change.on, "completed", subject, items)))
    for rating in report.ratings:
        url = _urn("rating", key, rating.on.isoformat(), rating.measure)
        entries.append((url, _observation(url, rating, subject)))
    stamp = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    return {
        "resourceType": "Bundle",
        "id": _id(_urn("bundle", key, report.made_on.isoformat())),
        "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


def _screening_response(
    url: str, record: ScreeningRecord, subject: Resource, screening: Screening
) -> Resource:
    items = []
    for question, finding, answer in record.answers:
        if finding is not None and finding.startswith("startback"):
            continue
        items.append(_item(question, _question_text(question, screening), answer))
    items.append(_item("outcome", "Outcome of the screening", record.disposition or "none"))
    for reason in record.reasons:
        items.append(_item("reason", "A reason for the outcome", reason))
    for possible in record.possible:
        items.append(_item("possible", "A warning sign the person was not sure of", possible))
    status = QR_STATUSES.get(record.status, "stopped")
    return _response(url, record.on, status, subject, items)


def _startback_response(url: str, row: StartBackRow, subject: Resource) -> Resource:
    items = [
        _item(f"startback.{number}", f"STarT Back item {number}", answer) for number, answer in row.answers
    ]
    items += [
        _item("startback.total", "STarT Back total score (0 to 9)", row.total),
        _item("startback.psychosocial", "STarT Back psychosocial subscale (0 to 5)", row.psychosocial),
        _item("startback.risk", "STarT Back risk group", row.risk),
    ]
    return _response(url, row.on, "completed", subject, items)


def _response(url: str, on: date, status: str, subject: Resource, items: list[Resource]) -> Resource:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _id(url),
        "extension": [completion_mode()],
        "status": status,
        "subject": subject,
        "authored": on.isoformat(),
        "item": items,
    }


def _item(link_id: str, text: str, answer: str | int) -> Resource:
    item: Resource = {"linkId": link_id, "text": text}
    if isinstance(answer, int):
        item["answer"] = [{"valueInteger": answer}]
    elif answer.isdigit():
        item["answer"] = [{"valueInteger": int(answer)}]
    elif answer != "unanswered":
        item["answer"] = [{"valueString": answer}]
    return item


def _observation(url: str, rating: Rating, subject: Resource) -> Resource:
    return {
        "resourceType": "Observation",
        "id": _id(url),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
        "code": {"coding": [{"system": LOINC, "code": PAIN_SEVERITY_0_10, "display": PAIN_SEVERITY_DISPLAY}]},
        "subject": subject,
        "effectiveDateTime": rating.on.isoformat(),
        "valueInteger": rating.rating,
        "bodySite": {"text": BODY_SITES[rating.measure]},
    }


def _question_text(question_id: str, screening: Screening) -> str:
    if question_id in screening.gates:
        return screening.gates[question_id].text
    base = question_id.removesuffix(".readback")
    try:
        return screening.question(base).text
    except (KeyError, ValueError):
        return question_id


def _urn(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(str(p) for p in parts))}"


def _id(urn: str) -> str:
    return urn.removeprefix("urn:uuid:")


def check_bundle(resource: Mapping[str, Any], today: date) -> list[str]:
    """What is wrong with a bundle voicecare made, beyond the FHIR schema: every Observation is LOINC
    72514-3 with a whole number 0 to 10 on a day not after ``today``; every QuestionnaireResponse says it
    was answered by voice, has a known status and a day not after ``today``, and a STarT Back total of 0
    to 9 (subscale 0 to 5) and a weekly answer of the five; every subject is the bundle's Patient; full
    URLs are unique. Empty when all is well."""
    problems: list[str] = []
    if resource.get("resourceType") != "Bundle" or resource.get("type") != "collection":
        return ["not a Bundle of type collection"]
    entries: Sequence[Mapping[str, Any]] = resource.get("entry", [])
    urls = [entry.get("fullUrl") for entry in entries]
    if len(set(urls)) != len(urls):
        problems.append("full URLs are not unique")
    patients = {e["fullUrl"] for e in entries if e.get("resource", {}).get("resourceType") == "Patient"}
    if len(patients) != 1:
        problems.append(f"{len(patients)} Patient resources, not 1")
    for entry in entries:
        item = entry.get("resource", {})
        kind = item.get("resourceType")
        where = f"{kind} {entry.get('fullUrl')}"
        if (
            kind in ("Observation", "QuestionnaireResponse")
            and item.get("subject", {}).get("reference") not in patients
        ):
            problems.append(f"{where}: its subject is not the bundle's Patient")
        if kind == "Observation":
            problems += [f"{where}: {p}" for p in _check_observation(item, today)]
        elif kind == "QuestionnaireResponse":
            problems += [f"{where}: {p}" for p in _check_response(item, today)]
        elif kind != "Patient":
            problems.append(f"{where}: a resource voicecare does not make")
    return problems


def _check_observation(item: Mapping[str, Any], today: date) -> list[str]:
    problems = []
    codings = item.get("code", {}).get("coding", [])
    if [(c.get("system"), c.get("code")) for c in codings] != [(LOINC, PAIN_SEVERITY_0_10)]:
        problems.append(f"code is not LOINC {PAIN_SEVERITY_0_10}")
    value = item.get("valueInteger")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
        problems.append(f"value {value!r} is not a whole number from 0 to 10")
    problems += _check_day(item.get("effectiveDateTime"), today)
    if item.get("status") != "final":
        problems.append("status is not final")
    return problems


def _check_response(item: Mapping[str, Any], today: date) -> list[str]:
    problems = []
    if completion_mode() not in item.get("extension", []):
        problems.append("completion mode is not verbal")
    if item.get("status") not in QR_STATUSES.values():
        problems.append(f"status {item.get('status')!r} is not one voicecare gives")
    problems += _check_day(item.get("authored"), today)
    answers = {
        i.get("linkId"): [next(iter(a.values())) for a in i.get("answer", [])] for i in item.get("item", [])
    }
    ranges = {"startback.total": 9, "startback.psychosocial": 5}
    for link_id, high in ranges.items():
        for value in answers.get(link_id, []):
            if not isinstance(value, int) or not 0 <= value <= high:
                problems.append(f"{link_id} {value!r} is not 0 to {high}")
    for value in answers.get("global_change", []):
        if value not in CHANGE_ANSWERS:
            problems.append(f"weekly answer {value!r} is not one of the five")
    return problems


def _check_day(value: object, today: date) -> list[str]:
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return [f"date {value!r} cannot be read"]
    return [f"date {day} is after today ({today})"] if day > today else []
