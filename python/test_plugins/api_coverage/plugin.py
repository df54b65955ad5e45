"""Calls every PluginAPI method from a real plugin process and reports, per method, "ok" or
what went wrong, as a JSON object the Swift tests assert one method at a time.

Commands: "/tour" runs the whole API against the demo host (a testkit plugin must be active
for PluginHTTP and PublishPluginEvent); "/abuse" sends malformed, oversized and
SQL-injection-shaped inputs and reports, per case, "ok" when the host answered with the
expected AppError and kept its data; "/three" runs against a host that implements only KVSet,
KVGet and GetUser (PluginHost itself serves GetSupportedMethods and PublishPluginEvent);
"/tourcmd WORDS" is the slash command the tour registers (the host routes it here).
"""

import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

import grpc  # noqa: E402

from mattermost_plugin import (  # noqa: E402
    AppError,
    Bot,
    Channel,
    Command,
    Plugin,
    Post,
    Preference,
    Team,
    Unimplemented,
    User,
    hook,
    run,
)
from mattermost_plugin._generated import api_pb2, common_pb2  # noqa: E402

TEAM = "team-demo"
ALICE = "user-alice"
BOB = "user-bob"
TOWN_SQUARE = "channel-town-square"


class Checks:
    """Runs named steps; a step passes when it returns without raising."""

    def __init__(self):
        self.results = {}

    def step(self, name, body):
        try:
            body()
            self.results.setdefault(name, "ok")
        except Exception as error:  # every failure is reported, the tour goes on
            detail = "".join(traceback.format_exception_only(type(error), error)).strip()
            self.results[name] = "failed: " + detail[:300]


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_app_error(status, body, id_prefix=""):
    try:
        body()
    except Unimplemented:
        raise AssertionError("got Unimplemented, wanted an AppError %d" % status)
    except AppError as error:
        expect(error.status_code == status, "status %d, wanted %d (%s)" % (error.status_code, status, error.message))
        expect(error.id.startswith(id_prefix), "id %s" % error.id)
        return
    raise AssertionError("no AppError")


def tour(api):
    c = Checks()
    s = {}  # what earlier steps made, for later ones

    c.step("GetSupportedMethods", lambda: expect(len(api.get_supported_methods()) >= 80, "fewer than 80"))
    c.step("Log", lambda: api.log_info("coverage tour", step="start"))

    # Key-value store.
    def kv():
        api.kv_delete_all()
        api.kv_set("k1", b"v1")
        expect(api.kv_get("k1") == b"v1", "KVGet")
        expect(api.kv_list(0, 10) == ["k1"], "KVList")
        expect(api.kv_compare_and_set("k1", b"v1", b"v2"), "KVCompareAndSet")
        expect(api.kv_compare_and_delete("k1", b"v2"), "KVCompareAndDelete")
        api.kv_set("k2", b"x")
        api.kv_delete("k2")
        expect(api.kv_get("k2") is None, "KVDelete")
        api.kv_set("k3", b"x")
        api.kv_delete_all()
        expect(api.kv_list(0, 10) == [], "KVDeleteAll")

    c.step("KVSet", kv)
    for name in ["KVGet", "KVList", "KVCompareAndSet", "KVCompareAndDelete", "KVDelete", "KVDeleteAll"]:
        c.results[name] = c.results["KVSet"]

    # Users.
    c.step("GetUser", lambda: expect(api.get_user(ALICE).username == "alice", "alice"))
    c.step("GetUserByUsername", lambda: expect(api.get_user_by_username("bob").id == BOB, "bob"))
    c.step("GetUserByEmail", lambda: expect(api.get_user_by_email("alice@example.com").id == ALICE, "by email"))

    def create_user():
        user = api.create_user(User(username="carol", email="carol@example.com", first_name="Carol"))
        expect(user.id and user.create_at > 0, "id and create_at")
        s["carol"] = user

    c.step("CreateUser", create_user)

    def update_user():
        user = s["carol"]
        user.nickname = "caz"
        expect(api.update_user(user).nickname == "caz", "nickname")

    c.step("UpdateUser", update_user)
    c.step("GetUsers", lambda: expect([u.username for u in api.get_users(0, 2)] == ["alice", "bob"], "page"))
    c.step("GetUsersByIds", lambda: expect(len(api.get_users_by_ids([ALICE, BOB, "nobody"])) == 2, "two"))
    c.step("SearchUsers", lambda: expect([u.username for u in api.search_users("car")] == ["carol"], "carol"))
    c.step("UpdateUserStatus", lambda: expect(api.update_user_status(ALICE, "dnd").status == "dnd", "dnd"))
    c.step("GetUserStatus", lambda: expect(api.get_user_status(ALICE).status == "dnd", "dnd"))
    c.step("SetProfileImage", lambda: api.set_profile_image(ALICE, b"\x89PNG fake image"))
    c.step("GetProfileImage", lambda: expect(api.get_profile_image(ALICE) == b"\x89PNG fake image", "image"))

    # Teams.
    def create_team():
        s["team"] = api.create_team(Team(name="tour", display_name="Tour"))
        expect(s["team"].id, "id")

    c.step("CreateTeam", create_team)
    c.step("GetTeam", lambda: expect(api.get_team(TEAM).name == "demo", "demo"))
    c.step("GetTeamByName", lambda: expect(api.get_team_by_name("tour").id == s["team"].id, "tour"))
    c.step("GetTeams", lambda: expect([t.name for t in api.get_teams()] == ["demo", "tour"], "two teams"))
    c.step("CreateTeamMember", lambda: expect(api.create_team_member(s["team"].id, ALICE).user_id == ALICE, "member"))
    c.step("GetTeamMember", lambda: expect(api.get_team_member(s["team"].id, ALICE).team_id == s["team"].id, "m"))
    c.step("GetTeamMembers", lambda: expect([m.user_id for m in api.get_team_members(TEAM)] == [ALICE, BOB], "2"))
    c.step("GetTeamsForUser", lambda: expect(len(api.get_teams_for_user(ALICE)) == 2, "alice in two teams"))

    def delete_team_member():
        api.delete_team_member(s["team"].id, ALICE)
        expect(len(api.get_teams_for_user(ALICE)) == 1, "left")

    c.step("DeleteTeamMember", delete_team_member)

    # Channels.
    def create_channel():
        channel = api.create_channel(
            Channel(team_id=TEAM, name="tour-room", display_name="Tour room", type=common_pb2.CHANNEL_TYPE_OPEN,
                    creator_id=ALICE)
        )
        expect(channel.id and channel.create_at > 0, "id")
        s["channel"] = channel

    c.step("CreateChannel", create_channel)
    c.step("GetChannel", lambda: expect(api.get_channel(s["channel"].id).name == "tour-room", "name"))
    c.step("GetChannelByName", lambda: expect(api.get_channel_by_name(TEAM, "tour-room").id == s["channel"].id, "id"))

    def update_channel():
        channel = s["channel"]
        channel.header = "new header"
        expect(api.update_channel(channel).header == "new header", "header")

    c.step("UpdateChannel", update_channel)

    def direct():
        first = api.get_direct_channel(ALICE, BOB)
        again = api.get_direct_channel(BOB, ALICE)
        expect(first.type == common_pb2.CHANNEL_TYPE_DIRECT and first.id == again.id, "same channel both ways")

    c.step("GetDirectChannel", direct)

    def group():
        channel = api.get_group_channel([ALICE, BOB, s["carol"].id])
        expect(channel.type == common_pb2.CHANNEL_TYPE_GROUP, "group")
        expect(len(api.get_channel_members(channel.id)) == 3, "three members")

    c.step("GetGroupChannel", group)
    c.step(
        "GetPublicChannelsForTeam",
        lambda: expect([ch.name for ch in api.get_public_channels_for_team(TEAM)] == ["random", "tour-room", "town-square"],
                       "three public channels"),
    )
    c.step("AddChannelMember", lambda: expect(api.add_channel_member(s["channel"].id, BOB).user_id == BOB, "bob"))
    c.step("GetChannelMember", lambda: expect(api.get_channel_member(s["channel"].id, BOB).user_id == BOB, "bob"))
    c.step("GetChannelMembers", lambda: expect(len(api.get_channel_members(s["channel"].id)) == 2, "two"))
    c.step("GetUsersInChannel",
           lambda: expect([u.username for u in api.get_users_in_channel(s["channel"].id)] == ["alice", "bob"], "two"))

    def delete_channel_member():
        api.delete_channel_member(s["channel"].id, BOB)
        expect(len(api.get_channel_members(s["channel"].id)) == 1, "one left")

    c.step("DeleteChannelMember", delete_channel_member)
    c.step("GetChannelsForTeamForUser",
           lambda: expect("tour-room" in [ch.name for ch in api.get_channels_for_team_for_user(TEAM, ALICE)], "mine"))
    c.step("SearchChannels", lambda: expect([ch.name for ch in api.search_channels(TEAM, "tour")] == ["tour-room"], "1"))

    # Posts.
    def create_post():
        s["root"] = api.create_post(s["channel"].id, "tour root message", user_id=ALICE, props={"k": "v"})
        time.sleep(0.002)  # distinct create_at for ordering
        s["reply"] = api.create_post(s["channel"].id, "tour reply", user_id=BOB, root_id=s["root"].id)
        time.sleep(0.002)
        s["third"] = api.create_post(s["channel"].id, "third message", user_id=ALICE)
        expect(s["root"].props["k"] == "v", "props")

    c.step("CreatePost", create_post)
    c.step("GetPost", lambda: expect(api.get_post(s["root"].id).message == "tour root message", "message"))

    def update_post():
        post = api.get_post(s["third"].id)
        post.message = "third message, edited"
        updated = api.update_post(post)
        expect(updated.edit_at > 0 and updated.message.endswith("edited"), "edited")

    c.step("UpdatePost", update_post)
    c.step("GetPostThread", lambda: expect([p.id for p in api.get_post_thread(s["reply"].id)] == [s["root"].id, s["reply"].id],
                                            "root then reply"))
    c.step("GetPostsForChannel",
           lambda: expect([p.id for p in api.get_posts_for_channel(s["channel"].id)] == [s["third"].id, s["reply"].id, s["root"].id],
                          "newest first"))
    c.step("GetPostsSince",
           lambda: expect(s["third"].id in [p.id for p in api.get_posts_since(s["channel"].id, s["root"].create_at)], "since"))
    c.step("GetPostsBefore",
           lambda: expect([p.id for p in api.get_posts_before(s["channel"].id, s["third"].id)] == [s["reply"].id, s["root"].id],
                          "before"))
    c.step("GetPostsAfter",
           lambda: expect([p.id for p in api.get_posts_after(s["channel"].id, s["root"].id)] == [s["third"].id, s["reply"].id],
                          "after"))
    c.step("SearchPostsInTeam",
           lambda: expect([p.id for p in api.search_posts_in_team(TEAM, "ROOT tour")] == [s["root"].id], "search"))
    def add_reaction():
        reaction = api.add_reaction(BOB, s["root"].id, "thumbsup")
        expect(reaction.emoji_name == "thumbsup", "emoji")
        expect(reaction.channel_id == s["root"].channel_id, "the post's channel")

    c.step("AddReaction", add_reaction)
    c.step("GetReactions", lambda: expect([r.user_id for r in api.get_reactions(s["root"].id)] == [BOB], "one"))

    def remove_reaction():
        api.remove_reaction(BOB, s["root"].id, "thumbsup")
        expect(api.get_reactions(s["root"].id) == [], "none")

    c.step("RemoveReaction", remove_reaction)

    def ephemeral():
        post = api.send_ephemeral_post(ALICE, Post(channel_id=TOWN_SQUARE, message="only for alice"))
        s["ephemeral"] = post
        expect(post.id and post.message == "only for alice", "sent")

    c.step("SendEphemeralPost", ephemeral)

    def update_ephemeral():
        post = s["ephemeral"]
        post.message = "only for alice, updated"
        expect(api.update_ephemeral_post(ALICE, post).message.endswith("updated"), "updated")

    c.step("UpdateEphemeralPost", update_ephemeral)

    def delete_post():
        api.delete_post(s["third"].id)
        expect_app_error(404, lambda: api.get_post(s["third"].id))

    c.step("DeletePost", delete_post)

    # Files: 2.5 MiB in chunks of at most 1 MiB, and back.
    content = bytes(range(256)) * (10 * 1024) + b"tail"

    def upload():
        info = api.upload_file(s["channel"].id, "tour.bin", iter([content[:700000], content[700000:]]), creator_id=ALICE)
        expect(info.size == len(content) and info.name == "tour.bin" and info.extension == "bin", "info")
        s["file"] = info

    c.step("UploadFile", upload)
    c.step("GetFile", lambda: expect(api.get_file(s["file"].id) == content, "same bytes"))
    c.step("GetFileInfo", lambda: expect(api.get_file_info(s["file"].id).size == len(content), "size"))
    c.step("GetFileLink", lambda: expect(s["file"].id in api.get_file_link(s["file"].id), "link"))

    # Bots.
    def create_bot():
        bot = api.create_bot(Bot(username="tourbot", display_name="Tour Bot"))
        expect(bot.user_id and bot.owner_id == "test.api-coverage", "owned by the plugin")
        expect(api.get_user(bot.user_id).is_bot, "a bot user")
        s["bot"] = bot

    c.step("CreateBot", create_bot)
    c.step("GetBot", lambda: expect(api.get_bot(s["bot"].user_id).username == "tourbot", "tourbot"))
    c.step("EnsureBotUser", lambda: expect(api.ensure_bot_user(Bot(username="tourbot")).user_id == s["bot"].user_id,
                                           "the same bot"))
    c.step("PatchBot", lambda: expect(api.patch_bot(s["bot"].user_id, description="patched").description == "patched",
                                      "patched"))

    def bot_active():
        expect(api.update_bot_active(s["bot"].user_id, False).delete_at > 0, "deactivated")
        expect(api.get_bots(owner_id="test.api-coverage") == [], "inactive bots hidden")
        expect(api.update_bot_active(s["bot"].user_id, True).delete_at == 0, "active again")

    c.step("UpdateBotActive", bot_active)
    c.step("GetBots", lambda: expect([b.username for b in api.get_bots(owner_id="test.api-coverage")] == ["tourbot"], "1"))

    # Slash commands: /tourcmd stays registered for the host to route; /tourtemp goes again.
    def register():
        api.register_command(Command(trigger="tourcmd", description="the tour's command", auto_complete=True))
        api.register_command(Command(trigger="tourtemp", team_id=TEAM))

    c.step("RegisterCommand", register)
    c.step("ListPluginCommands",
           lambda: expect([cmd.trigger for cmd in api.list_plugin_commands()] == ["tourcmd", "tourtemp"], "both"))

    def unregister():
        api.unregister_command("tourtemp", team_id=TEAM)
        expect([cmd.trigger for cmd in api.list_plugin_commands()] == ["tourcmd"], "one left")

    c.step("UnregisterCommand", unregister)

    def publish():
        api.publish_websocket_event("to_user", {"n": 1}, user_id=ALICE)
        api.publish_websocket_event("to_channel", {"n": 2}, channel_id=TOWN_SQUARE)
        api.publish_websocket_event("to_all", {"n": 3})

    c.step("PublishWebSocketEvent", publish)

    def plugin_http():
        status, headers, body = api.plugin_http("test.testkit", "POST", "/echo", body=b"between plugins")
        expect(status == 200 and body == b"between plugins", "echoed: %d %r" % (status, body))
        expect(any(name.lower() == "x-body-sha256" for name, _ in headers), "headers")
        status, _, _ = api.plugin_http("test.testkit", "GET", "/teapot")
        expect(status == 418, "the target's status passes through: %d" % status)

    c.step("PluginHTTP", plugin_http)

    def plugin_event():
        # Served by PluginHost itself; testkit (the one other active plugin) implements
        # OnPluginEvent and answers the last event it got over ServeHTTP.
        expect("PublishPluginEvent" in api.get_supported_methods(), "listed as supported")
        expect(api.publish_plugin_event("coverage/tour", b"hello") == 1, "delivered to testkit")
        status, _, body = api.plugin_http("test.testkit", "GET", "/last-event")
        expect(status == 200 and body == b"test.api-coverage coverage/tour hello", "received: %d %r" % (status, body))
        expect_app_error(400, lambda: api.publish_plugin_event(""), "plugin.event.topic")

    c.step("PublishPluginEvent", plugin_event)

    # Configuration and preferences.
    c.step("GetConfig", lambda: expect(api.get_config()["PluginSettings"]["Enable"] is True, "config"))

    def plugin_config():
        api.save_plugin_config({"colour": "green"})
        expect(api.get_plugin_config() == {"colour": "green"}, "saved")

    c.step("SavePluginConfig", plugin_config)
    c.results["GetPluginConfig"] = c.results["SavePluginConfig"]
    c.step("GetServerVersion", lambda: expect(api.get_server_version() != "", "version"))

    theme = Preference(user_id=ALICE, category="display_settings", name="theme", value="dark")
    c.step("UpdatePreferencesForUser", lambda: api.update_preferences_for_user(ALICE, [theme]))
    c.step("GetPreferencesForUser",
           lambda: expect([p.value for p in api.get_preferences_for_user(ALICE)] == ["dark"], "dark"))

    def delete_preferences():
        api.delete_preferences_for_user(ALICE, [theme])
        expect(api.get_preferences_for_user(ALICE) == [], "gone")

    c.step("DeletePreferencesForUser", delete_preferences)

    # Last, so earlier steps can use them.
    def delete_ephemeral():
        api.delete_ephemeral_post(ALICE, s["ephemeral"].id)
        expect_app_error(404, lambda: api.delete_ephemeral_post(ALICE, s["ephemeral"].id))

    c.step("DeleteEphemeralPost", delete_ephemeral)

    def delete_channel():
        api.delete_channel(s["channel"].id)
        expect(api.get_channel(s["channel"].id).delete_at > 0, "archived")

    c.step("DeleteChannel", delete_channel)

    def delete_user():
        api.delete_user(s["carol"].id)
        expect(api.get_user(s["carol"].id).delete_at > 0, "deactivated")

    c.step("DeleteUser", delete_user)
    return c.results


def abuse(api):
    """Bad inputs: each case is "ok" when the host answered with the expected AppError."""
    c = Checks()
    injection = "x'; DROP TABLE users; --"
    c.step("username-injection", lambda: expect_app_error(400, lambda: api.create_user(User(username=injection, email="a@b.c"))))
    c.step("lookup-injection", lambda: expect_app_error(404, lambda: api.get_user_by_username("alice' OR '1'='1")))
    c.step("channel-injection", lambda: expect_app_error(404, lambda: api.get_channel_by_name(TEAM, '" OR 1=1 --')))
    c.step("search-wildcards", lambda: expect(api.search_users("%") == [] and api.search_users("_") == [], "literal"))
    c.step("search-injection", lambda: expect(api.search_posts_in_team(TEAM, "'; DELETE FROM posts; --") == [], "none"))
    c.step("kv-injection", lambda: (api.kv_set("k'); DROP TABLE plugin_kv; --", b"v"),
                                     expect(api.kv_get("k'); DROP TABLE plugin_kv; --") == b"v", "stored literally")))
    c.step("message-too-long", lambda: expect_app_error(400, lambda: api.create_post(TOWN_SQUARE, "x" * 20000)))
    c.step("image-too-large", lambda: expect_app_error(400, lambda: api.set_profile_image(ALICE, b"x" * (2 << 20))))
    c.step("page-too-large", lambda: expect_app_error(400, lambda: api.get_users(0, 100000)))
    c.step("negative-page", lambda: expect_app_error(400, lambda: api.get_posts_for_channel(TOWN_SQUARE, -1, 10)))
    c.step("bad-status", lambda: expect_app_error(400, lambda: api.update_user_status(ALICE, "sleeping")))
    c.step("too-many-ids", lambda: expect_app_error(400, lambda: api.get_users_by_ids(["id%d" % i for i in range(500)])))
    c.step("both-broadcasts", lambda: expect_app_error(
        400, lambda: api.publish_websocket_event("e", {}, user_id=ALICE, channel_id=TOWN_SQUARE)))
    c.step("payload-not-object", lambda: expect_app_error(400, lambda: _raise_error(api.stub.PublishWebSocketEvent(
        api_pb2.PublishWebSocketEventRequest(event="e", payload_json="[1"), timeout=5))))
    c.step("group-of-two", lambda: expect_app_error(400, lambda: api.get_group_channel([ALICE, BOB])))
    c.step("file-name-traversal", lambda: expect_app_error(400, lambda: api.upload_file(TOWN_SQUARE, "../../etc/x", b"x")))
    c.step("preference-of-other-user", lambda: expect_app_error(400, lambda: api.update_preferences_for_user(
        ALICE, [Preference(user_id=BOB, category="c", name="n", value="v")])))
    c.step("http-to-unknown-plugin", lambda: expect_app_error(502, lambda: api.plugin_http("no.such.plugin", "GET", "/")))
    c.step("http-bad-method", lambda: expect_app_error(400, lambda: api.plugin_http("test.testkit", "BREW", "/")))

    def oversized_chunk():
        def messages():
            yield api_pb2.UploadFileRequest(info=common_pb2.FileInfo(channel_id=TOWN_SQUARE, name="big.bin"))
            yield api_pb2.UploadFileRequest(chunk=b"x" * ((1 << 20) + 1))

        _raise_error(api.stub.UploadFile(messages(), timeout=10))

    c.step("chunk-too-large", lambda: expect_app_error(413, oversized_chunk))

    def no_info():
        _raise_error(api.stub.UploadFile(iter([api_pb2.UploadFileRequest(chunk=b"x")]), timeout=10))

    c.step("upload-without-info", lambda: expect_app_error(400, no_info))

    def file_too_large():
        limit = api.get_config()["FileSettings"]["MaxFileSize"]
        piece = b"y" * (1 << 20)
        expect_app_error(413, lambda: api.upload_file(TOWN_SQUARE, "huge.bin", (piece for _ in range(limit // len(piece) + 1))))

    c.step("file-too-large", file_too_large)
    c.step("missing-file", lambda: expect_app_error(404, lambda: api.get_file("nosuchfile")))

    def expect_status(code, body):
        try:
            body()
        except grpc.RpcError as error:
            expect(error.code() == code, "status %s, wanted %s" % (error.code(), code))
            return
        raise AssertionError("the call succeeded")

    # Bytes that are not a GetUserRequest: the transport refuses them; the host goes on.
    raw = api._channel.unary_unary(
        "/mattermost.pluginapi.v1.PluginAPI/GetUser", request_serializer=None, response_deserializer=None
    )
    c.step("malformed-protobuf", lambda: expect_status(grpc.StatusCode.INTERNAL, lambda: raw(b"\x0a\xff\xff\xff\x0f", timeout=5)))
    c.step("message-over-4mib", lambda: expect_status(
        grpc.StatusCode.RESOURCE_EXHAUSTED, lambda: api.set_profile_image(ALICE, b"x" * (5 << 20))))

    def still_intact():
        expect(api.get_user(ALICE).username == "alice", "users intact")
        expect(api.get_channel(TOWN_SQUARE).name == "town-square", "channels intact")
        expect(len(api.get_users(0, 200)) >= 2, "all users still there")

    c.step("data-intact", still_intact)
    return c.results


def _raise_error(response):
    if response.HasField("error"):
        raise AppError.from_proto(response.error)
    return response


def three(api):
    """Against a host that implements KVSet, KVGet and GetUser (and claims GetChannel too)."""
    c = Checks()
    c.step("supported-before", lambda: expect(
        api.get_supported_methods()
        == ["GetChannel", "GetSupportedMethods", "GetUser", "KVGet", "KVSet", "PublishPluginEvent"],
        repr(api.get_supported_methods())))

    def kv():
        api.kv_set("three", b"3")
        expect(api.kv_get("three") == b"3", "round trip")

    c.step("KVSet+KVGet", kv)
    c.step("GetUser", lambda: expect(api.get_user("u1").username == "only-user", "user"))
    c.step("GetUser-missing", lambda: expect_app_error(404, lambda: api.get_user("u2")))

    def unimplemented(name, body):
        try:
            body()
        except Unimplemented as error:
            expect(error.method == name, "method %s" % error.method)
            expect(isinstance(error, AppError) and error.status_code == 501, "an AppError with 501")
            return
        raise AssertionError("no Unimplemented")

    c.step("GetChannel-declared-but-default", lambda: unimplemented("GetChannel", lambda: api.get_channel("c")))
    c.step("CreatePost", lambda: unimplemented("CreatePost", lambda: api.create_post("c", "m")))
    c.step("Log", lambda: unimplemented("Log", lambda: api.log_info("x")))
    c.step("GetServerVersion", lambda: unimplemented("GetServerVersion", lambda: api.get_server_version()))
    c.step("UploadFile", lambda: unimplemented("UploadFile", lambda: api.upload_file("c", "f", b"x")))
    c.step("GetFile", lambda: unimplemented("GetFile", lambda: api.get_file("f")))
    # PluginHost serves PublishPluginEvent whatever the host implements (no other plugin is active).
    c.step("PublishPluginEvent", lambda: expect(api.publish_plugin_event("three") == 0, "nobody to deliver to"))
    c.step("supported-after", lambda: expect(
        api.get_supported_methods() == ["GetSupportedMethods", "GetUser", "KVGet", "KVSet", "PublishPluginEvent"],
        repr(api.get_supported_methods())))
    return c.results


class CoveragePlugin(Plugin):
    @hook
    def execute_command(self, context, args):
        words = args.command.split()
        if words[0] == "/tour":
            return json.dumps(tour(self.api))
        if words[0] == "/abuse":
            return json.dumps(abuse(self.api))
        if words[0] == "/three":
            return json.dumps(three(self.api))
        if words[0] == "/tourcmd":
            return "tourcmd heard: " + " ".join(words[1:])
        return "unknown command"


if __name__ == "__main__":
    run(CoveragePlugin())
