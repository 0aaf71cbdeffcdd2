"""The pain diary's logic, pure: weekly trends of the daily 0-10 ratings (``trend``), the check-in schedule
of an episode (``schedule``), what the diary asks (``entries``), and the report for a doctor or
physiotherapist as data and in HTML, text and FHIR (``report``, ``render``, ``fhir``). Its wording is
``content/diary.toml`` (``wording``). The spoken flows are in ``voicecare.dialogue.diary_talk``."""
