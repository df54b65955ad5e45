"""Unit tests of the demo plugin with the SDK's MockPluginAPI: no host, no process.

Run from this folder, with the SDK installed (`pip install /path/to/python`):
    python3 -m unittest -v test_plugin
"""

import unittest

from mattermost_plugin import AppError, Channel, CommandArgs, FileInfo, FileUpload, Post, User
from mattermost_plugin.testing import MockPluginAPI

from plugin import DemoPlugin


class DemoPluginTests(unittest.TestCase):
    def setUp(self) -> None:
        self.api = MockPluginAPI(server_version="9.9.9")
        self.api.add_user(User(id="user-alice", username="alice"))
        self.api.add_channel(Channel(id="channel-random", name="random"))
        self.plugin = DemoPlugin()
        self.plugin.api = self.api

    def test_activation_counts_with_compare_and_set(self) -> None:
        self.plugin.on_activate()
        self.plugin.on_activate()
        self.assertEqual(self.api.kv_get("activations"), b"2")
        self.assertEqual(self.api.logs[-1].fields, {"server_version": "9.9.9", "activations": "2"})
        self.assertEqual(len(self.api.calls_to("KVCompareAndSet")), 2)

    def test_banned_words_reject_and_other_posts_get_their_author(self) -> None:
        self.plugin.on_configuration_change({"banned_words": ["spam"]})
        rejection = self.plugin.message_will_be_posted(None, Post(message="buy SPAM", user_id="user-alice"))
        self.assertEqual(rejection, "posts containing 'spam' are not allowed")
        post = self.plugin.message_will_be_posted(None, Post(message="hello", user_id="user-alice"))
        self.assertEqual(post.message, "hello (via @alice)")

    def test_invalid_configuration_is_an_app_error(self) -> None:
        with self.assertRaises(AppError) as raised:
            self.plugin.on_configuration_change({"banned_words": "spam"})
        self.assertEqual(raised.exception.status_code, 400)

    def test_ping_gets_a_reply_and_posts_are_counted(self) -> None:
        self.plugin.message_has_been_posted(None, Post(id="p1", channel_id="channel-random", message="ping"))
        self.assertEqual([(p.message, p.root_id) for p in self.api.posts], [("pong from random", "p1")])
        self.assertEqual(self.api.store["posts:channel-random"], b"1")
        self.assertEqual(self.plugin.execute_command(None, CommandArgs(command="/stats")), "channel-random: 1 posts")

    def test_edits_logins_and_uploads_follow_the_settings(self) -> None:
        self.plugin.configuration = {"EditMarker": "[edited]", "BlockedUsers": "mallory, eve", "MaxUploadKiB": 1}
        edited = self.plugin.message_will_be_updated(None, Post(message="fixed"), Post(message="fixd"))
        self.assertEqual(edited.message, "fixed [edited]")
        self.assertIsNone(self.plugin.user_will_log_in(None, User(username="alice")))
        self.assertEqual(self.plugin.user_will_log_in(None, User(username="eve")), "eve is blocked by the demo plugin")
        text = FileInfo(name="notes.txt", mime_type="text/plain")
        cleaned = self.plugin.file_will_be_uploaded(None, text, b"a\r\nb\r\n")
        self.assertEqual(cleaned, FileUpload(content=b"a\nb\n"))
        self.assertEqual(self.plugin.file_will_be_uploaded(None, FileInfo(name="x.exe"), b"MZ"), "executables are not allowed")
        self.assertEqual(self.plugin.file_will_be_uploaded(None, text, b"x" * 2048), "notes.txt is larger than 1 KiB")


if __name__ == "__main__":
    unittest.main()
