"""Cognitive reframing of a pain thought: the spoken thought record read from ``reframing.toml``.

Seven stages in a fixed order. Free asks are never understood (the person says "done" or stays quiet to
go on); ratings are number asks from zero to ten; the thought patterns are yes/no asks whose ``on_yes``
steps are said only after a yes. ``SelfHarmPolicy`` is the hook the player honours: the self-harm check
takes over, the exercise stops, and the asks marked ``weighs_evidence`` are never run on such a thought.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicecare.content.reader import Table
from voicecare.exercises.script import (
    ASK_KINDS,
    SCRIPTS_DIR,
    Ask,
    CommonWording,
    ExerciseOptions,
    Say,
    SayBack,
    Step,
    read_script,
    says,
)
from voicecare.understanding.answer_kind import AnswerKind

STAGES = ("situation", "feeling", "thought", "pattern", "evidence", "balanced_thought", "rerate")
EVIDENCE_STAGE = "evidence"
SELF_HARM_BEFORE_STAGE = "thought"
RATING_RANGE = (0, 10)


@dataclass(frozen=True)
class SelfHarmPolicy:
    """What happens when anything said suggests self-harm or hopelessness (docs/clinical.md):
    ``stops_exercise`` and ``never_weigh_evidence`` are always true; ``spoken`` is said before the thought
    is asked for, so the person knows to say so."""

    stops_exercise: bool
    never_weigh_evidence: bool
    spoken: str


@dataclass(frozen=True)
class ReframingStage:
    """One stage: lines said first (``say``), its asks, lines said after (``after``), and an optional
    say-back of two ratings."""

    id: str
    say: tuple[str, ...]
    asks: tuple[Ask, ...]
    after: tuple[str, ...]
    say_back: SayBack | None


@dataclass(frozen=True)
class ReframingScript:
    """Everything ``reframing.toml`` holds; ``quiet_s`` is the silence (seconds) that ends a free ask."""

    quiet_s: float
    self_harm: SelfHarmPolicy
    intro: tuple[str, ...]
    closing: tuple[str, ...]
    stages: tuple[ReframingStage, ...]

    def asks(self) -> list[Ask]:
        """Every ask in order, follow-ups after the ask they follow."""
        result = []
        for stage in self.stages:
            for ask in stage.asks:
                result.append(ask)
                result += [step for step in ask.on_yes if isinstance(step, Ask)]
        return result


def _kind(node: Table) -> AnswerKind:
    return AnswerKind(node.choice("kind", [kind.value for kind in ASK_KINDS]))


def _ask(node: Table, stage: str, quiet_s: float, seen: set[str], follow_up_allowed: bool) -> Ask:
    node.only(("id", "kind", "text", "help"), ("low", "high", "if_yes", "follow_up"))
    ask_id = node.text("id")
    if ask_id in seen:
        raise node.fail("id", f"{ask_id!r} is used twice", "give every ask its own id")
    seen.add(ask_id)
    kind = _kind(node)
    if kind is not AnswerKind.YES_NO and (node.has("if_yes") or node.has("follow_up")):
        raise node.fail(
            "if_yes", f"is only for yes/no asks, not {kind.value}", "remove it or make the ask yes_no"
        )
    if kind is not AnswerKind.NUMBER and (node.has("low") or node.has("high")):
        raise node.fail("low", "is only for number asks", "remove low and high")
    on_yes: list[Step] = []
    if node.has("if_yes"):
        on_yes.append(Say(node.text("if_yes"), stage))
    if node.has("follow_up"):
        if not follow_up_allowed:
            raise node.fail("follow_up", "cannot have its own follow-up", "keep follow-ups one level deep")
        on_yes.append(_ask(node.table("follow_up"), stage, quiet_s, seen, follow_up_allowed=False))
    low = node.integer("low", *RATING_RANGE, default=RATING_RANGE[0])
    high = node.integer("high", low + 1, RATING_RANGE[1], default=RATING_RANGE[1])
    return Ask(
        id=ask_id,
        kind=kind,
        text=node.text("text"),
        help=node.text("help"),
        stage=stage,
        low=low,
        high=high,
        quiet_s=quiet_s,
        on_yes=tuple(on_yes),
        weighs_evidence=stage == EVIDENCE_STAGE,
    )


def _say_back(node: Table, asks: dict[str, Ask]) -> SayBack:
    node.only(("before", "after", "lower", "same", "higher"))
    for key in ("before", "after"):
        ask_id = node.text(key)
        if ask_id not in asks or asks[ask_id].kind is not AnswerKind.NUMBER:
            raise node.fail(
                key, f"names {ask_id!r}, which is not an earlier number ask", "name a number ask id"
            )
    say_back = SayBack(
        node.text("before"), node.text("after"), node.text("lower"), node.text("same"), node.text("higher")
    )
    try:
        say_back.longest()
    except (KeyError, IndexError, ValueError) as error:
        raise node.fail(
            "lower", f"has a bad placeholder ({error})", "use only {before}, {after} and {change}"
        ) from error
    return say_back


def load_reframing(path: Path | None = None) -> ReframingScript:
    """Read and validate ``reframing.toml`` (or ``path``); ConfigError names the file and key."""
    top = read_script(path or SCRIPTS_DIR / "reframing.toml")
    top.only(("timing", "self_harm", "wording", "stages"))
    timing = top.table("timing")
    timing.only(("quiet_s",))
    quiet_s = timing.number("quiet_s", 3.0, 30.0)
    harm = top.table("self_harm")
    harm.only(("spoken",), ("stops_exercise", "never_weigh_evidence"))
    for key in ("stops_exercise", "never_weigh_evidence"):
        if not harm.flag(key, False):
            raise harm.fail(
                key, "must be true", "the self-harm check always stops the exercise (docs/clinical.md)"
            )
    words = top.table("wording")
    words.only(("intro", "closing"))
    stage_nodes = top.tables("stages")
    ids = [node.text("id") for node in stage_nodes]
    if tuple(ids) != STAGES:
        raise top.fail(
            "stages", f"are {', '.join(ids)}", f"list the stages in this order: {', '.join(STAGES)}"
        )
    seen: set[str] = set()
    asks_by_id: dict[str, Ask] = {}
    stages = []
    for stage_id, node in zip(STAGES, stage_nodes, strict=True):
        node.only(("id", "asks"), ("say", "after", "say_back"))
        asks = tuple(_ask(child, stage_id, quiet_s, seen, True) for child in node.tables("asks"))
        asks_by_id.update((ask.id, ask) for ask in asks)
        stages.append(
            ReframingStage(
                id=stage_id,
                say=node.texts("say") if node.has("say") else (),
                asks=asks,
                after=node.texts("after") if node.has("after") else (),
                say_back=_say_back(node.table("say_back"), asks_by_id) if node.has("say_back") else None,
            )
        )
    return ReframingScript(
        quiet_s=quiet_s,
        self_harm=SelfHarmPolicy(True, True, harm.text("spoken")),
        intro=words.texts("intro"),
        closing=words.texts("closing"),
        stages=tuple(stages),
    )


def reframing_steps(script: ReframingScript, common: CommonWording, options: ExerciseOptions) -> list[Step]:
    """The spoken thought record, stage by stage; each ``Ask`` waits for the person."""
    steps: list[Step] = [Say(common.warning, "warning")] if options.standalone else []
    steps.append(Say(common.stop_hint, "stop_hint"))
    steps += says(script.intro, "intro")
    for stage in script.stages:
        if stage.id == SELF_HARM_BEFORE_STAGE:
            steps.append(Say(script.self_harm.spoken, "self_harm"))
        steps += says(stage.say, stage.id)
        steps += stage.asks
        steps += says(stage.after, stage.id)
        if stage.say_back is not None:
            steps.append(stage.say_back)
    steps += says(script.closing, "closing")
    return steps
