"""What a site bench run learns besides its slices: facts for the report, notes for the reader."""

from dataclasses import dataclass, field


@dataclass
class Findings:
    facts: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    def note(self, text):
        print(f"NOTE: {text}")
        self.notes.append(text)
