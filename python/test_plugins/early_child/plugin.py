# Starts a child before run(), with close_fds=False (as os.system would): importing the SDK
# must already have kept the credentials descriptor from it. The child reports on stderr
# whether it could read descriptor 3.
import os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testkit import TestKitPlugin
from mattermost_plugin import run

probe = (
    "import os, sys\n"
    "try:\n"
    "    data = os.read(3, 4096)\n"
    "    sys.stderr.write('[INFO] child read fd 3: %d bytes\\n' % len(data))\n"
    "except OSError as error:\n"
    "    sys.stderr.write('[INFO] child read fd 3: %s\\n' % error.strerror)\n"
)
subprocess.run([sys.executable, "-c", probe], close_fds=False, check=True)
run(TestKitPlugin())
