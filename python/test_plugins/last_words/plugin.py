# Ignores the shutdown request and stdin closing; on SIGTERM it makes one last API call,
# which must still succeed because the host stops the API server only after reaping.
import os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testkit import TestKitPlugin
from mattermost_plugin import run


class LastWords(TestKitPlugin):
    ignore_exit_requests = True

    def on_exit(self, reason):
        self.api.kv_set("last-words", reason)


run(LastWords())
