"""The script PyInstaller freezes into Workbench.app's program (``packaging/macos/workbench.spec``).

Finder starts the app with the files a person opened as arguments (the spec's
``argv_emulation``), with no command before them: absolute paths alone become
``gui PATH…``, so the window opens them as ``workbench gui`` does on Linux. A command line
typed in a terminal starts with a command or an option, never with ``/``. The rest is
``workbench.frozen.main``, as on the other platforms.
"""

import sys

from workbench.frozen import main

if len(sys.argv) > 1 and all(arg.startswith("/") for arg in sys.argv[1:]):
    sys.argv[1:1] = ["gui"]
main()
