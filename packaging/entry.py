"""The script PyInstaller freezes into the ``Workbench`` executable (``packaging/workbench.spec``).

All of it is ``workbench.frozen.main``, which is importable, typed and tested like the rest.
"""

from workbench.frozen import main

main()
