"""Keeping a record of each exercise run (``voicecare relax``, ``breathe``, ``reframe`` and the exercises
of the hands-free session) in the session records: which exercise and its options, how it ended, how long
it ran in session seconds and, for reframing, the feeling's two ratings. Nothing the person says is kept.
"""

from collections.abc import Sequence

from voicecare.exercises.script import ExerciseOptions, SayBack, Step
from voicecare.exercises.timeline import ExerciseName, default_scripts
from voicecare.narration.player import PlayEnd, Player
from voicecare.records import ExerciseEnding, ExerciseRecorder, NoRecorder, Person, RecordStore
from voicecare.settings import Settings

ENDINGS: dict[PlayEnd, ExerciseEnding] = {
    PlayEnd.COMPLETED: "finished",
    PlayEnd.STOPPED: "stopped",
    PlayEnd.WARNING_SIGN: "warning_sign",
    PlayEnd.SAFETY_STOP: "self_harm_stop",
    PlayEnd.INPUT_ENDED: "input_ended",
}


def play_recorded(
    player: Player,
    steps: Sequence[Step],
    exercise: ExerciseName,
    options: ExerciseOptions,
    settings: Settings,
    keep: bool = True,
    person: Person | None = None,
) -> PlayEnd:
    """Play ``steps`` with ``player`` and keep a record of the run in ``settings.data_dir`` with
    ``person`` and ``settings.today``, unless ``keep`` is False (the demo) or the settings say not to
    save (``--no-save``): then nothing is opened or written. A run cut short by an exception (Ctrl-C) is
    marked incomplete, with no ending.
    Raises ConfigError when the records file cannot be opened (before anything is played)."""
    if not (keep and settings.save):
        return _play(player, steps, NoRecorder())
    store = RecordStore(settings.data_dir)
    try:
        groups, minutes = recorded_options(exercise, options)
        recorder = store.start_exercise(exercise, groups, minutes, person, settings.today)
        return _play(player, steps, recorder)
    finally:
        store.close()


def recorded_options(exercise: ExerciseName, options: ExerciseOptions) -> tuple[int | None, int | None]:
    """The options a record keeps: (muscle groups, breathing minutes), each None where it does not
    apply; breathing with no minutes given keeps the script's default length."""
    if exercise == "relaxation":
        return options.groups, None
    if exercise == "breathing":
        return None, options.minutes or default_scripts().breathing.default_minutes
    return None, None


def _play(player: Player, steps: Sequence[Step], recorder: ExerciseRecorder) -> PlayEnd:
    started_s = player.channel.t_s
    try:
        end = player.run(steps)
    except BaseException:
        recorder.abandon()
        raise
    recorder.finish_exercise(ENDINGS[end], player.channel.t_s - started_s, feeling_ratings(player, steps))
    return end


def feeling_ratings(player: Player, steps: Sequence[Step]) -> tuple[int | None, int | None]:
    """The (before, after) ratings said back by the steps' ``SayBack``, as far as they were given;
    (None, None) for an exercise without one."""
    say_back = next((step for step in steps if isinstance(step, SayBack)), None)
    if say_back is None:
        return None, None
    return player.rating(say_back.before_id), player.rating(say_back.after_id)
