# Ignores every polite request and then hangs in its SIGTERM handling: only SIGKILL ends it.
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testkit import TestKitPlugin
from mattermost_plugin import run


class HangsOnExit(TestKitPlugin):
    ignore_exit_requests = True

    def on_exit(self, reason):
        time.sleep(3600)


run(HangsOnExit())
