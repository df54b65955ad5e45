"""MockPluginAPI: the in-memory PluginAPI plugin authors use in their unit tests."""

import unittest

import host_double  # noqa: F401 - puts the SDK on sys.path
from mattermost_plugin import AppError, Bot, Channel, Command, Team, Unimplemented, User
from mattermost_plugin.credentials import CredentialsError, parse
from mattermost_plugin.testing import MockPluginAPI


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class MockPluginAPITests(unittest.TestCase):
    def test_key_value_store_semantics_and_expiry(self) -> None:
        clock = FakeClock()
        api = MockPluginAPI(clock=clock)
        api.kv_set("b", "2")
        api.kv_set("a", b"\x00\xff")
        api.kv_set("short", "x", expire_in_seconds=5)
        self.assertEqual(api.kv_get("a"), b"\x00\xff")
        self.assertIsNone(api.kv_get("missing"))
        self.assertEqual(api.kv_list(page=0, per_page=2), ["a", "b"])
        self.assertEqual(api.kv_list(page=1, per_page=2), ["short"])
        self.assertFalse(api.kv_compare_and_set("b", "9", "3"))
        self.assertTrue(api.kv_compare_and_set("b", "2", "3"))
        self.assertTrue(api.kv_compare_and_set("new", None, "n"))
        self.assertFalse(api.kv_compare_and_set("new", None, "again"))
        self.assertFalse(api.kv_compare_and_delete("b", "2"))
        self.assertTrue(api.kv_compare_and_delete("b", "3"))
        clock.now += 5
        self.assertIsNone(api.kv_get("short"))
        self.assertEqual(api.store, {"a": b"\x00\xff", "new": b"n"})
        with self.assertRaises(AppError) as raised:
            api.kv_list(per_page=0)
        self.assertEqual(raised.exception.status_code, 400)
        api.kv_delete_all()
        self.assertEqual(api.kv_list(), [])

    def test_records_every_call_with_its_request(self) -> None:
        api = MockPluginAPI()
        api.kv_set("k", "v")
        api.log_info("saved", message="a field named message", key="k")
        self.assertEqual([call.method for call in api.calls], ["KVSet", "Log"])
        self.assertEqual(api.calls_to("KVSet")[0].value, b"v")
        self.assertEqual(api.logs[0].level, "info")
        self.assertEqual(api.logs[0].fields, {"message": "a field named message", "key": "k"})

    def test_users_channels_posts_and_configuration(self) -> None:
        api = MockPluginAPI(configuration={"colour": "blue"}, server_version="1.2.3")
        api.add_user(User(id="u1", username="alice"))
        api.add_channel(Channel(id="c1", team_id="t1", name="town-square"))
        self.assertEqual(api.get_user_by_username("alice").id, "u1")
        self.assertEqual(api.get_channel_by_name("t1", "town-square").id, "c1")
        with self.assertRaises(AppError) as raised:
            api.get_user("nobody")
        self.assertEqual((raised.exception.id, raised.exception.status_code), ("app.user.missing", 404))
        post = api.create_post("c1", "hello", user_id="u1")
        post.message = "edited"
        self.assertEqual(api.update_post(post).message, "edited")
        api.delete_post(post.id)
        with self.assertRaises(AppError):
            api.get_post(post.id)
        self.assertEqual(api.get_plugin_config(), {"colour": "blue"})
        api.save_plugin_config({"colour": "red"})
        self.assertEqual(api.get_plugin_config(), {"colour": "red"})
        self.assertEqual(api.get_server_version(), "1.2.3")


    def test_teams_channels_posts_files_and_bots(self) -> None:
        api = MockPluginAPI()
        alice = api.create_user(User(username="alice", email="alice@example.com"))
        team = api.create_team(Team(name="t"))
        api.create_team_member(team.id, alice.id)
        self.assertEqual([t.name for t in api.get_teams_for_user(alice.id)], ["t"])
        channel = api.create_channel(Channel(team_id=team.id, name="c", creator_id=alice.id))
        self.assertEqual([m.user_id for m in api.get_channel_members(channel.id)], [alice.id])
        root = api.create_post(channel.id, "root")
        reply = api.create_post(channel.id, "reply", root_id=root.id)
        self.assertEqual([p.id for p in api.get_post_thread(reply.id)], [root.id, reply.id])
        self.assertEqual(api.add_reaction(alice.id, root.id, "tada").channel_id, channel.id)
        self.assertEqual([r.emoji_name for r in api.get_reactions(root.id)], ["tada"])
        info = api.upload_file(channel.id, "a.txt", [b"ab", b"cd"])
        self.assertEqual((info.size, api.get_file(info.id)), (4, b"abcd"))
        bot = api.ensure_bot_user(Bot(username="helper"))
        self.assertEqual(api.ensure_bot_user(Bot(username="helper")).user_id, bot.user_id)
        api.register_command(Command(trigger="hello"))
        self.assertEqual([c.trigger for c in api.list_plugin_commands()], ["hello"])
        api.publish_websocket_event("ping", {"n": 1}, user_id=alice.id)
        self.assertEqual([e.event for e in api.published_events], ["ping"])
        with self.assertRaises(AppError) as raised:
            api.publish_websocket_event("ping", user_id=alice.id, channel_id=channel.id)
        self.assertEqual(raised.exception.status_code, 400)

    def test_methods_it_does_not_model_raise_unimplemented(self) -> None:
        api = MockPluginAPI()
        self.assertIn("GetUser", api.get_supported_methods())
        self.assertNotIn("PluginHTTP", api.supported_methods)
        with self.assertRaises(Unimplemented) as raised:
            api.plugin_http("other.plugin", "GET", "/")
        self.assertEqual((raised.exception.method, raised.exception.status_code), ("PluginHTTP", 501))
        self.assertIsInstance(raised.exception, AppError)


class CredentialsFormatTests(unittest.TestCase):
    def test_accepts_exactly_two_lines_of_64_lowercase_hex(self) -> None:
        parsed = parse(b"api_secret=" + b"a" * 64 + b"\nhooks_secret=" + b"0" * 64 + b"\n")
        self.assertEqual((parsed.api_secret, parsed.hooks_secret), (b"a" * 64, b"0" * 64))
        self.assertNotIn("aaaa", repr(parsed))
        for bad in (b"hooks_secret=" + b"0" * 64 + b"\napi_secret=" + b"a" * 64 + b"\n",
                    b"api_secret=" + b"a" * 64 + b"\nhooks_secret=" + b"0" * 64,
                    b"api_secret=" + b"g" * 64 + b"\nhooks_secret=" + b"0" * 64 + b"\n"):
            with self.assertRaises(CredentialsError):
                parse(bad)


if __name__ == "__main__":
    unittest.main()
