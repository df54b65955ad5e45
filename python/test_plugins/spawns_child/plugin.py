# Starts a long-running child of its own; the host must not leave it orphaned.
import os, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testkit import TestKitPlugin
from mattermost_plugin import run

child = subprocess.Popen(["sleep", "300"], stdin=subprocess.DEVNULL)
sys.stderr.write("[INFO] spawned grandchild pid=%d\n" % child.pid)
sys.stderr.flush()
run(TestKitPlugin())
