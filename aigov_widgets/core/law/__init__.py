"""The law as code: data loading and validation, conditions, references (dates, citations, links), the
rules engine, the questionnaires and the timeline. No HTML and no user interface here."""
