"""The entity register (issue 18): people, organisations, places and other things, with their
names in any script, their mentions across the library, and names the library suggests.
``service.EntitiesMixin`` is the facade's part; redaction by entity is the dossier's."""
