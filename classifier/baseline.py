"""The keyword baseline: the codebook's own cues, counted. Evaluation shows it beside the model,
so what the transformer adds is visible."""

from __future__ import annotations

from db.codebook import FRAME_CUES, FRAMES, TONE_CUES, TONES, cue_pattern, topic_score

RELEVANCE_THRESHOLD = 0.1  # one pay cue and one China-finance cue (passages are short)
_FRAMES = {frame: cue_pattern(FRAME_CUES[frame]) for frame in FRAMES}
_TONES = {tone: cue_pattern(cues) for tone, cues in TONE_CUES.items()}


def baseline_scores(title: str, text: str) -> tuple[float, dict[str, float], dict[str, float]]:
    """(relevance, tone scores, frame scores) from cue counts; scores in [0, 1]."""
    relevance, _ = topic_score(title, text)
    lowered = f"{title}\n{text}".lower()
    negative = len(_TONES["negative"].findall(lowered))
    positive = len(_TONES["positive"].findall(lowered))
    if negative > positive:
        tone = "negative"
    elif positive > negative:
        tone = "positive"
    else:
        tone = "neutral"
    tone_scores = {t: float(t == tone) for t in TONES}
    frame_scores = {f: float(bool(_FRAMES[f].search(lowered))) for f in FRAMES}
    return relevance, tone_scores, frame_scores
