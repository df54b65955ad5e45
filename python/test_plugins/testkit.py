"""A plugin whose behaviour is chosen by what the host sends, for end-to-end tests.

Posts: "reject ..." is rejected, "modify ..." gets " [modified]" appended, "slow ..." sleeps
longer than any host timeout, "boom ..." raises. Commands: "/crash" exits the process hard,
"/api-call TARGET SECRET" calls a PluginAPI at TARGET with SECRET and reports the outcome,
"/whoami" returns the plugin id. ServeHTTP echoes the body and its SHA-256.
"""

import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grpc  # noqa: E402

from mattermost_plugin import HTTPResponse, Plugin, hook, log  # noqa: E402
from mattermost_plugin.api import APIClient  # noqa: E402


class TestKitPlugin(Plugin):
    @hook
    def on_activate(self):
        self.api.kv_set("activated", "yes")
        log.info("testkit activated", pid=os.getpid())

    @hook
    def on_deactivate(self):
        self.api.kv_set("deactivated", "yes")

    @hook
    def on_configuration_change(self, configuration):
        self.api.kv_set("configuration", repr(sorted(configuration.items())))

    @hook
    def message_will_be_posted(self, context, post):
        if post.message.startswith("reject"):
            return "rejected: " + post.message
        if post.message.startswith("modify"):
            post.message += " [modified]"
            return post
        if post.message.startswith("slow"):
            time.sleep(30)
        if post.message.startswith("boom"):
            raise RuntimeError("boom requested")
        return None

    @hook
    def message_has_been_posted(self, context, post):
        self.api.kv_set("seen:" + post.id, post.message)

    @hook
    def execute_command(self, context, args):
        words = args.command.split()
        if words[0] == "/crash":
            log.error("crashing on request")
            os._exit(3)
        if words[0] == "/api-call":
            other = APIClient(target=words[1], secret=words[2], timeout=5)
            try:
                other.get_server_version()
                return "ok"
            except grpc.RpcError as error:
                return error.code().name
            finally:
                other.close()
        if words[0] == "/whoami":
            return self.id
        return "unknown command"

    @hook
    def serve_http(self, request):
        digest = hashlib.sha256(request.body).hexdigest()
        return HTTPResponse(200, [("X-Body-SHA256", digest)], request.body)
