"""The local records: sessions (screenings and exercise runs), the people of a shared device, and each
person's dated history of answers, kept in one owner-only SQLite file (``store``), whose schema version
and in-place upgrade are in ``schema``, people in ``people`` and the defensive reading of a history in
``history``, and the pain diary (ratings, weekly answers, check-ins) and forgetting a person in ``diary``."""

from voicecare.records.diary import (
    CHANGE_ANSWERS,
    CHECKIN_OUTCOMES,
    MEASURES,
    ChangeAnswer,
    ChangeRecord,
    CheckinOutcome,
    CheckinRecord,
    ExerciseRunRecord,
    Measure,
    Rating,
    ScreeningRecord,
)
from voicecare.records.history import (
    ANSWER_WORDS,
    DISPOSITIONS,
    PersonHistory,
    Remembered,
    Visit,
    valid_answer,
)
from voicecare.records.people import Person, normalise_name
from voicecare.records.schema import SCHEMA_VERSION
from voicecare.records.store import (
    DATABASE_NAME,
    EXERCISE_ENDINGS,
    Disposition,
    ExerciseEnding,
    ExerciseRecord,
    ExerciseRecorder,
    NoRecorder,
    RecordStore,
    SessionRecorder,
    SessionSummary,
    StoredSession,
)

__all__ = [
    "ANSWER_WORDS",
    "CHANGE_ANSWERS",
    "CHECKIN_OUTCOMES",
    "DATABASE_NAME",
    "DISPOSITIONS",
    "EXERCISE_ENDINGS",
    "MEASURES",
    "SCHEMA_VERSION",
    "ChangeAnswer",
    "ChangeRecord",
    "CheckinOutcome",
    "CheckinRecord",
    "Disposition",
    "ExerciseEnding",
    "ExerciseRecord",
    "ExerciseRecorder",
    "ExerciseRunRecord",
    "Measure",
    "NoRecorder",
    "Person",
    "PersonHistory",
    "Rating",
    "RecordStore",
    "Remembered",
    "ScreeningRecord",
    "SessionRecorder",
    "SessionSummary",
    "StoredSession",
    "Visit",
    "normalise_name",
    "valid_answer",
]
