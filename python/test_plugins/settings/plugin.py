"""Records the configuration it was activated with, and each later one, as sorted JSON."""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

from mattermost_plugin import Plugin, hook, run  # noqa: E402


class SettingsPlugin(Plugin):
    @hook
    def on_activate(self):
        self.api.kv_set("activated-with", json.dumps(self.configuration, sort_keys=True))

    @hook
    def on_configuration_change(self, configuration):
        self.api.kv_set("configuration", json.dumps(configuration, sort_keys=True))


run(SettingsPlugin())
