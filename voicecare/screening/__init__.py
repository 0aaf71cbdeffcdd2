"""Back-pain screening per docs/clinical.md: content as data, rules as pure functions.

- ``findings``: findings.toml (findings, questions, gates, thresholds, combinations) as typed data.
- ``answers``: the answer kinds (``Reply`` yes/no/unsure/unanswered, or a number) and four-valued truth.
- ``rules``: ``evaluate(answers) -> Outcome``, ``emergency_reached``, ``should_ask``, ``next_question``.
- ``advice``: self-care advice (advice.toml) from the outcome and the personal context.
- ``startback``: the Keele STarT Back tool (startback.toml, under Keele's terms) and its scoring.
- ``regions``: emergency numbers, urgent and crisis lines (regions.toml).
- ``safety``: the self-harm question, crisis message and trigger phrases (safety.toml).
"""
