"""LibreOffice's own 「すべての変更を承諾」 and 「すべての変更を元に戻す」 on a Word file.

The UNO bridge is LibreOffice's Python module, which only the system's Python has;
the script runs there, driving a private headless LibreOffice, and saves the file
again as .docx for the editor's reader.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"

SCRIPT = r"""
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p

source, target, action, profile, pipe = sys.argv[1:6]
office = subprocess.Popen(
    ["soffice", f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
     f"--accept=pipe,name={pipe};urp;"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(240):
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.25)
    else:
        sys.exit("LibreOffice did not answer")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    url = uno.systemPathToFileUrl(os.path.abspath(source))
    document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    frame = document.getCurrentController().getFrame()
    helper = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    command = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}
    helper.executeDispatch(frame, command[action], "", 0, ())
    document.storeToURL(
        uno.systemPathToFileUrl(os.path.abspath(target)), (prop("FilterName", "MS Word 2007 XML"),)
    )
    document.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(timeout=20)
    except subprocess.TimeoutExpired:
        office.terminate()
        office.wait(timeout=20)
"""


def available() -> bool:
    """LibreOffice and its Python bridge are both there."""
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    found = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False, timeout=60
    )
    return found.returncode == 0


def all_changes(path: Path, action: str, out: Path) -> Path:
    """``path`` with every change accepted (``action`` "accept") or rejected, saved as ``out``."""
    profile = (out.parent / f"lo-profile-{action}").as_uri()
    pipe = f"kushiro{uuid.uuid4().hex[:12]}"
    subprocess.run(
        [SYSTEM_PYTHON, "-c", SCRIPT, str(path), str(out), action, profile, pipe],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out
