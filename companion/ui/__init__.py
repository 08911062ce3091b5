"""The Textual app. The only part of companion that imports textual."""
