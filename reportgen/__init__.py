"""reportgen: one structured outline in, a PDF briefing report and a PPTX deck out."""

__version__ = "0.1.0"
