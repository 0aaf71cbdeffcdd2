"""docs/clinical.md restated as plain tables, so tests compare the data files against the specification."""

EMERGENCY = (
    "saddle_numbness",
    "bladder_change",
    "bowel_change",
    "sexual_change",
    "both_legs",
    "leg_weakness_worsening",
    "chest_pain",
    "sudden_severe_pain",
    "serious_accident",
    "sepsis_signs",
    "pregnancy_emergency",
)
URGENT = (
    "fever",
    "weight_loss",
    "lump_or_shape",
    "night_pain",
    "cough_sneeze_pain",
    "upper_back_pain",
    "cancer_history",
    "fragile_bones_injury",
    "infection_risk",
    "recent_spinal_procedure",
    "kidney_signs",
    "shingles_rash",
    "pregnancy_warning",
    "pelvic_bleeding",
    "bruising_bleeding",
    "aneurysm_risk",
)
SOON_YES_NO = ("daily_activities_stopped", "getting_worse", "struggling_to_cope", "one_leg_sciatica")
NUMBERS = ("age", "pain_weeks")
SOON = ("pain_weeks", "age", *SOON_YES_NO)
ALL_FINDINGS = EMERGENCY + URGENT + SOON

POSSIBLE_GIVES_EMERGENCY = ("saddle_numbness", "bladder_change", "bowel_change", "sexual_change", "both_legs")
"""Rules for answers: these findings, when possible, give emergency; other emergency findings give urgent."""

COMBINED = ("fragile_bones_injury", "aneurysm_risk", "kidney_signs")
"""Findings whose spec line joins conditions with "and"/"with": one question alone is not the finding."""

GATED = ("pregnancy_emergency", "pregnancy_warning")
