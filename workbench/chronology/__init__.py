"""A chronology (issue 18 §3): dated statements resting on highlights.

``dates`` reads a typed date strictly into its kind and bounds and finds the dates a quote
states; ``queries`` reads events in date order, by tag, entity or collection; ``service`` is
the facade's ``ChronologyMixin``; ``export`` writes the chronology as CSV or DOCX;
``dossier_section`` renders a dossier's chronology section through its redactions.
"""
