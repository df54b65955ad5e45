"""A plugin whose behaviour is chosen by what the host sends, for end-to-end tests.

Posts: "reject ..." is rejected by returning a reason, "apperror ..." by raising AppError,
"modify ..." gets " [modified]" appended, "slow ..." sleeps longer than any host timeout,
"boom ..." raises. Commands: "/crash" exits the process hard, "/api-call TARGET SECRET" calls
a PluginAPI at TARGET with SECRET and reports the outcome, "/whoami" returns the plugin id,
"/log-message TEXT" logs through the API with a field called message, "/deadline" reports
the seconds left before the host's deadline, "/isolation" reports whether the process is
dumpable and whether its environment holds a secret. ServeHTTP echoes the body and its SHA-256;
"/teapot" raises AppError with status 418; "/last-event" answers the last event another plugin
published (OnPluginEvent) as "SOURCE TOPIC PAYLOAD", or 404 before the first.
"""

import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import grpc  # noqa: E402

from mattermost_plugin import AppError, HTTPResponse, Plugin, current_call, hook, log  # noqa: E402
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
        if post.message.startswith("apperror"):
            raise AppError("no " + post.message, id="testkit.rejected", status_code=400)
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
        if words[0] == "/log-message":
            self.api.log_debug("posted", message=" ".join(words[1:]), level="not-a-level")
            return "logged"
        if words[0] == "/deadline":
            call = current_call()
            remaining = call.time_remaining() if call is not None else None
            return "%s %s" % (call.hook if call else "-", "none" if remaining is None else "%.3f" % remaining)
        if words[0] == "/isolation":
            return isolation_report()
        if words[0] == "/api-tour":
            return api_tour(self.api)
        if words[0] == "/bench-api":
            # /bench-api COUNT [TARGET]: KVGet round trips against our host or another server.
            sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
            from bench.latency import measure

            client = self.api if len(words) < 3 else APIClient(target=words[2], secret="", timeout=5)
            client.kv_set("bench", b"x" * 64)
            try:
                return measure(lambda: client.kv_get("bench"), int(words[1]))
            finally:
                if client is not self.api:
                    client.close()
        return "unknown command"

    @hook
    def on_plugin_event(self, source_plugin_id, topic, payload):
        self.last_event = ("%s %s " % (source_plugin_id, topic)).encode("utf-8") + payload

    @hook
    def serve_http(self, request):
        if request.url == "/teapot":
            raise AppError("I'm a teapot", id="testkit.teapot", status_code=418)
        if request.url == "/last-event":
            last_event = getattr(self, "last_event", None)
            if last_event is None:
                return HTTPResponse(404, [], b"no event yet")
            return HTTPResponse(200, [], last_event)
        digest = hashlib.sha256(request.body).hexdigest()
        return HTTPResponse(200, [("X-Body-SHA256", digest)], request.body)


def isolation_report():
    """"dumpable=N secret-variables=NAMES": what another process of the same user could read."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    dumpable = libc.prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    secret_names = sorted(name for name in os.environ if "SECRET" in name)
    return "dumpable=%d secret-variables=%s" % (dumpable, ",".join(secret_names) or "none")


def api_tour(api):
    """Calls every PluginAPI method once and reports what came back, one fact per line."""
    from mattermost_plugin import AppError

    facts = []

    def fact(name, value):
        facts.append("%s=%s" % (name, value))

    api.log_debug("tour debug", step=1)
    api.log_warn("tour warn", step=2)
    api.kv_delete_all()
    api.kv_set("b", "2")
    api.kv_set("a", "1")
    api.kv_set("c", b"\x00\xff")
    api.kv_set("gone", "x", expire_in_seconds=1)
    fact("get-a", api.kv_get("a").decode())
    fact("get-c", api.kv_get("c").hex())
    fact("get-missing", api.kv_get("missing"))
    fact("page0", ",".join(api.kv_list(page=0, per_page=2)))
    fact("page1", ",".join(api.kv_list(page=1, per_page=2)))
    fact("cas-wrong", api.kv_compare_and_set("a", "9", "10"))
    fact("cas-right", api.kv_compare_and_set("a", "1", "10"))
    fact("cas-absent", api.kv_compare_and_set("new", None, "n"))
    fact("cas-absent-again", api.kv_compare_and_set("new", None, "n2"))
    fact("cad-wrong", api.kv_compare_and_delete("b", "3"))
    fact("cad-right", api.kv_compare_and_delete("b", "2"))
    api.kv_delete("c")
    fact("after-delete", ",".join(api.kv_list()))
    time.sleep(1.1)
    fact("expired", api.kv_get("gone"))
    try:
        api.kv_list(page=0, per_page=0)
        fact("bad-paging", "accepted")
    except AppError as error:
        fact("bad-paging", error.status_code)
    api.kv_delete_all()
    fact("after-delete-all", ",".join(api.kv_list()))

    fact("user", api.get_user("user-alice").username)
    fact("user-by-name", api.get_user_by_username("bob").id)
    try:
        api.get_user("nobody")
    except AppError as error:
        fact("user-missing", "%s/%d" % (error.id, error.status_code))
    fact("channel", api.get_channel("channel-random").name)
    fact("channel-by-name", api.get_channel_by_name("team-demo", "town-square").id)

    post = api.create_post("channel-random", "tour post", user_id="user-bob")
    fact("created", bool(post.id))
    post.message = "tour post, edited"
    fact("updated", api.update_post(post).message)
    fact("fetched", api.get_post(post.id).message)
    api.delete_post(post.id)
    try:
        api.get_post(post.id)
    except AppError as error:
        fact("deleted", error.status_code)

    api.save_plugin_config({"colour": "blue"})
    fact("config", api.get_plugin_config()["colour"])
    from mattermost_plugin import api_pb2

    response = api.stub.SavePluginConfig(api_pb2.SavePluginConfigRequest(configuration_json="[1]"), timeout=5)
    fact("config-invalid", response.error.status_code if response.HasField("error") else "accepted")
    fact("version", api.get_server_version())
    return "\n".join(facts)
