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
NO_TIER = ("diabetes_or_recent_infection", "sciatica_new_since_procedure")
"""Findings with no tier of their own, used only in combinations (version 2). docs/clinical.md names
``diabetes_or_recent_infection``; ``sciatica_new_since_procedure`` is its follow-up question "Is the leg
pain new, or worse, since the procedure?" as a finding whose "not sure" counts as yes."""
ASKED_ONLY_IF = {
    "diabetes_or_recent_infection": ("fever",),
    "sciatica_new_since_procedure": ("recent_spinal_procedure", "one_leg_sciatica"),
}
ALL_FINDINGS = EMERGENCY + URGENT + SOON + NO_TIER

POSSIBLE_GIVES_EMERGENCY = ("saddle_numbness", "bladder_change", "bowel_change", "sexual_change", "both_legs")
"""Rules for answers: these findings, when possible, give emergency; other emergency findings give urgent."""

COMBINED = ("fragile_bones_injury", "aneurysm_risk", "kidney_signs")
"""Findings whose spec line joins conditions with "and"/"with": one question alone is not the finding."""

GATED = ("pregnancy_emergency", "pregnancy_warning")

PREGNANCY_GATE_HELP = "I ask everyone aged 16 to 55. If it cannot apply to you, just say no."
PREGNANCY_GATE_NO_FROM_AGE = 56
"""docs/clinical.md, version 2: the pregnancy gate is asked of everyone aged 16 to 55; from 56 it is a no.
voicecare asks it below 16 too: the specification exempts only 56 and over, and skipping the pregnancy
questions can only lower the outcome (a child is told to see a doctor today in any case)."""

V2_QUESTIONS = {
    "cancer_history": (
        "Have you ever had cancer, including blood cancer, or are you being tested for cancer now?",
    ),
    "saddle_numbness": (
        "Does the skin around your bottom, private parts or between your legs feel numb, tingly or "
        "different?",
        "When you wipe yourself after using the toilet, does it feel different from normal?",
    ),
    "bladder_change": (
        "Is peeing harder to start, do you have to strain, or can you not go at all?",
        "Have you leaked pee, needed pads, or found it hard to control your flow?",
        "Is it harder to tell when your bladder is full or empty, or to feel pee passing?",
    ),
    "bowel_change": (
        "Have you leaked poo or wind, or been unable to hold a poo in?",
        "Can you feel less than usual when you need to poo, or when it passes?",
    ),
    "sexual_change": (
        "Have you had new trouble with erections or coming, or less feeling in your private parts "
        "during sex?",
    ),
    "both_legs": ("Do both legs hurt, feel numb or tingly, or feel weak, even if one is worse?",),
    "leg_weakness_worsening": (
        "Is either leg very weak or numb, or getting weaker or more numb?",
        "Do you have new trouble walking, or does a foot drag or slap down?",
    ),
    "chest_pain": ("Do you have chest pain, or are you newly short of breath?",),
    "sudden_severe_pain": (
        "Did very bad back or tummy pain start suddenly, or does it feel like tearing?",
        "With the pain, have you felt faint or sweaty, or collapsed?",
    ),
    "sepsis_signs": (
        "Are you confused, very drowsy, or slurring your words?",
        "Do you feel so ill you think you might die, or is your skin blotchy or discoloured?",
    ),
    "pregnancy_emergency": (
        "Are you bleeding heavily from your vagina, or is there severe tummy pain that never eases?",
    ),
    "fever": ("Do you have a high temperature, or feel shivery, or get night sweats?",),
    "lump_or_shape": ("Is there a lump or swelling on your back, or has its shape changed?",),
    "night_pain": ("Does the pain wake you at night, or stay bad when you lie still?",),
    "fragile_bones_injury": (
        "Have you been told you have thin bones, or taken steroid tablets for 3 months or more?",
        "Did the pain begin after a minor fall, a lift or a strain?",
    ),
    "infection_risk": (
        "Do you inject drugs, have a weakened immune system, or have you been exposed to TB?",
    ),
    "diabetes_or_recent_infection": (
        "Do you have diabetes, or have you had another infection recently, like a skin or urine infection?",
    ),
    "recent_spinal_procedure": (
        "In the last 3 months, have you had spine surgery, a spinal injection or epidural, or a lumbar "
        "puncture?",
    ),
    "pregnancy_warning": (
        "Have you had any bleeding, or fluid leaking, from your vagina?",
        "Are you having regular tightenings or cramps, or does it hurt to pee?",
    ),
    "pelvic_bleeding": ("Do you have severe pain low in your tummy, or unusual bleeding from your vagina?",),
    "aneurysm_risk": (
        "Do you feel a pulsing or throbbing in your tummy?",
        "Do you smoke, have high blood pressure, or has a close relative had an aneurysm?",
    ),
    "getting_worse": ("Is the pain very severe, or getting worse over time?",),
    "struggling_to_cope": ("Are you worried about the pain, or struggling to cope with it?",),
    "sciatica_new_since_procedure": ("Is the leg pain new, or worse, since the procedure?",),
}
"""docs/clinical.md, 'Question route, version 2': the questions asked for each changed finding, word for word,
in asking order (questions that reuse another answer are not asked and not listed)."""

V2_REUSES = {
    "kidney_signs": ("fever.temperature",),
    "pregnancy_warning": ("fever.temperature",),
    "aneurysm_risk": ("night_pain.wakes",),
}
"""Version 2: fever in pregnancy is taken from ``fever``; the aneurysm's persistent pain from
``night_pain``."""
