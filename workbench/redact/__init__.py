"""Redaction that cannot leak: one matcher, the decodings of files, and the leak scanner.

``fold`` says which characters are "the same" (case, width, marks, invisible characters,
elongation, look-alike letters); ``matcher`` finds a term in every spelling a reader would
still recognise; ``decode`` reads bytes every way a recipient could; ``scan`` puts the two
together for a file, a folder or a zip. Redaction, the export's leak check and
``workbench leakscan`` all use this one package, so they can never disagree about what
counts as the redacted text.
"""
