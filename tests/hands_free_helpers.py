"""Helpers for the hands-free routine tests: the chat as a console transcript (what the user
sees, second by second, and what buzzed) and the figures one routine costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.entry.fake_records import ApiCall

SENDS = ("sendMessage", "sendAnimation", "sendPhoto", "sendVideo")


@dataclass(frozen=True, slots=True)
class Cost:
    """What one routine cost in Bot API calls."""

    messages: int
    loud: int
    edits: int
    deletes: int
    answers: int

    def line(self, taps: int) -> str:
        return (
            f"taps: {taps}; messages sent: {self.messages} ({self.loud} with sound); "
            f"edits: {self.edits}; cue deletions: {self.deletes}; tap answers: {self.answers}"
        )


def is_loud(call: ApiCall) -> bool:
    return call.method in SENDS and call.params.get("disable_notification") is not True


def cost(calls: Sequence[ApiCall]) -> Cost:
    methods = [call.method for call in calls]
    return Cost(
        messages=sum(method in SENDS for method in methods),
        loud=sum(is_loud(call) for call in calls),
        edits=methods.count("editMessageText"),
        deletes=methods.count("deleteMessage"),
        answers=methods.count("answerCallbackQuery"),
    )


@dataclass(frozen=True, slots=True)
class Line:
    at: datetime
    who: str
    call: ApiCall | None
    text: str


def transcript(lines: Sequence[Line], start: datetime) -> str:
    """The chat as a console would print it: edits as the status they show now."""
    out: list[str] = []
    for line in lines:
        seconds = int((line.at - start).total_seconds())
        stamp = f"[{seconds // 60:02d}:{seconds % 60:02d}]"
        if line.call is None:
            out.append(f"{stamp} you   > {line.text}")
            continue
        call = line.call
        text = call.text or ""
        if call.method == "editMessageText":
            status = text.strip().split("\n\n")[-1]
            shown = " | ".join(part.strip() for part in status.split("\n") if part.strip())
            out.append(f"{stamp} bot   ~ (edit #{call.params.get('message_id')}, silent) {shown}")
        elif call.method in SENDS:
            sound = "🔊 sound" if is_loud(call) else "silent"
            first = text.strip().split("\n")[0]
            out.append(f"{stamp} bot   + ({sound}) {first}")
        elif call.method == "deleteMessage":
            out.append(f"{stamp} bot   - (old cue #{call.params.get('message_id')} deleted)")
    return "\n".join(out) + "\n"


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
