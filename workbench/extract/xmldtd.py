"""DTDs in the XML parts of office packages (DOCX, ODT): found, said, never resolved.

No office program writes a DTD into a DOCX or ODT part; one that is there declares entities,
the way an XXE attack reads ``file:///etc/passwd`` into a document. The parsers never resolve
them (python-docx's lxml parser keeps them unresolved, odfpy's defusedxml refuses them), so
the text they stand for is silently missing. ``dtd_members`` names the parts that declare
one, for a problem on the document (``dropped_problem``); ``without_dtd`` gives a part back
without its DTD and entity references, so a parser that refuses them still reads the rest.

The check reads each part only up to its root element (a DTD can only come before it), with
expat, which fetches nothing.
"""

from __future__ import annotations

import zipfile
from xml.parsers import expat

MAX_PARTS = 2000  # a package with more XML parts than this is checked in its first ones
CHUNK = 1 << 16


class _RootReached(Exception):
    pass


def declares_dtd(stream: object) -> bool:
    """Whether the XML read from ``stream`` declares a DTD before its root element."""
    found = False

    def doctype(*_args: object) -> None:
        nonlocal found
        found = True

    def root(*_args: object) -> None:
        raise _RootReached

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk := stream.read(CHUNK):  # type: ignore[attr-defined]
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _RootReached:
        pass
    except (expat.ExpatError, ValueError):
        pass  # not well-formed: the format's own parser says so, or reads what it can
    return found


def dtd_members(zf: zipfile.ZipFile, names: list[str] | None = None) -> list[str]:
    """The XML parts of the package (``names``, else every ``.xml`` and ``.rels`` part) that
    declare a DTD."""
    if names is None:
        names = [n for n in zf.namelist() if n.lower().endswith((".xml", ".rels"))]
    found = []
    for name in names[:MAX_PARTS]:
        try:
            with zf.open(name) as stream:
                if declares_dtd(stream):
                    found.append(name)
        except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            continue  # a part that cannot be read is the format parser's to report
    return found


def dropped_problem(members: list[str]) -> str:
    return (f"content dropped: {', '.join(members)} declare"
            f"{'s' if len(members) == 1 else ''} a DTD with entity declarations, which no "
            "office program writes (it is how a file tries to read other files, XXE); the "
            "declarations were ignored and never resolved, and any text the entities stood "
            "for is missing")


def without_dtd(data: bytes) -> bytes:
    """The part with its DTD and every entity reference removed (the rest as it was)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                             huge_tree=False)
    root = etree.fromstring(data, parser)
    for entity in list(root.iter(etree.Entity)):
        parent = entity.getparent()
        if parent is None:
            continue
        tail = entity.tail or ""
        previous = entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(entity)
    # Serialising the root element leaves the document's DTD behind.
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
