"""The plugin behind chain_a, chain_b and chain_c: three plugins that implement every hook
beyond the basic ones, for the end-to-end chaining tests. Each knows its letter (the last
character of its id) and acts on what the host sends:

- the "will be" hooks append " +LETTER" to what they may change (so the test sees the chain
  order), and react to markers: "reject-LETTER" rejects, "crash-LETTER" raises, "slow-LETTER"
  sleeps past the test's hook timeout;
- MessagesWillBeConsumed appends " +LETTER" to every post, and drops one for a post holding
  "drop-LETTER" (which the host must not accept);
- UserWillLogIn refuses the username "blocked-LETTER";
- FileWillBeUploaded: chain_a reverses the content of a file whose name holds "transform"
  and renames it, and answers 5 MiB of content for a name holding "inflate" (over the test's
  upload limit); chain_b rejects a file whose name holds "reject"; each records what it saw
  (name, size, SHA-256) in its key-value store;
- ConfigurationWillBeSaved appends the letter to the "chain" list, and refuses when
  "reject" is its letter;
- every notification hook stores a short summary under the hook's name;
- OnPluginEvent stores "SOURCE PAYLOAD" under "event:TOPIC"; the command
  "/publish TOPIC PAYLOAD" publishes an event and answers how many plugins handled it;
  "/publish-oversized topic|payload" publishes past the bounds.
"""

import hashlib
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from mattermost_plugin import AppError, FileUpload, Plugin, hook  # noqa: E402


class HookChainPlugin(Plugin):
    @property
    def letter(self) -> str:
        return self.id[-1]

    def record(self, key: str, text: str) -> None:
        self.api.kv_set(key, text)

    def react(self, text: str) -> None:
        """Raises or sleeps when `text` carries this plugin's marker."""
        if ("crash-" + self.letter) in text:
            raise RuntimeError("crash requested")
        if ("slow-" + self.letter) in text:
            time.sleep(8)

    # Posts

    @hook
    def message_will_be_updated(self, context, new_post, old_post):
        self.react(new_post.message)
        if ("reject-" + self.letter) in new_post.message:
            return self.letter + " rejects the edit"
        self.record("saw:MessageWillBeUpdated", "%s <- %s" % (new_post.message, old_post.message))
        new_post.message += " +" + self.letter
        return new_post

    @hook
    def message_has_been_updated(self, context, new_post, old_post):
        self.record("MessageHasBeenUpdated", "%s <- %s" % (new_post.message, old_post.message))

    @hook
    def message_has_been_deleted(self, context, post):
        self.record("MessageHasBeenDeleted", post.id)

    @hook
    def messages_will_be_consumed(self, posts):
        for post in posts:
            self.react(post.message)
            post.message += " +" + self.letter
        if any(("drop-" + self.letter) in post.message for post in posts):
            return posts[1:]
        return posts

    @hook
    def reaction_has_been_added(self, context, reaction):
        self.record("ReactionHasBeenAdded", "%s %s %s" % (reaction.user_id, reaction.post_id, reaction.emoji_name))

    @hook
    def reaction_has_been_removed(self, context, reaction):
        self.record("ReactionHasBeenRemoved", "%s %s %s" % (reaction.user_id, reaction.post_id, reaction.emoji_name))

    # Users

    @hook
    def user_has_been_created(self, context, user):
        self.record("UserHasBeenCreated", user.username)

    @hook
    def user_will_log_in(self, context, user):
        self.react(user.username)
        if user.username == "blocked-" + self.letter:
            return "%s refuses %s" % (self.letter, user.username)
        self.record("saw:UserWillLogIn", user.username)
        return None

    @hook
    def user_has_logged_in(self, context, user):
        self.record("UserHasLoggedIn", user.username)

    @hook
    def user_has_been_deactivated(self, context, user):
        self.record("UserHasBeenDeactivated", user.username)

    # Channels and teams

    @hook
    def channel_has_been_created(self, context, channel):
        self.record("ChannelHasBeenCreated", channel.name)

    @hook
    def user_has_joined_channel(self, context, member, actor):
        self.record("UserHasJoinedChannel", "%s %s by %s" % (member.user_id, member.channel_id, actor.id if actor else "self"))

    @hook
    def user_has_left_channel(self, context, member, actor):
        self.record("UserHasLeftChannel", "%s %s by %s" % (member.user_id, member.channel_id, actor.id if actor else "self"))

    @hook
    def user_has_joined_team(self, context, member, actor):
        self.record("UserHasJoinedTeam", "%s %s by %s" % (member.user_id, member.team_id, actor.id if actor else "self"))

    @hook
    def user_has_left_team(self, context, member, actor):
        self.record("UserHasLeftTeam", "%s %s by %s" % (member.user_id, member.team_id, actor.id if actor else "self"))

    # Files

    @hook
    def file_will_be_uploaded(self, context, file_info, content):
        self.react(file_info.name)
        self.record("saw:FileWillBeUploaded", "%s %d %s" % (file_info.name, len(content), hashlib.sha256(content).hexdigest()))
        if "reject" in file_info.name and self.letter == "b":
            return "b rejects " + file_info.name
        if "inflate" in file_info.name and self.letter == "a":
            return FileUpload(content=b"x" * (5 << 20))
        if "transform" in file_info.name and self.letter == "a":
            file_info.name = "transformed-" + file_info.name
            return FileUpload(info=file_info, content=content[::-1])
        return None

    # WebSocket

    @hook
    def on_web_socket_connect(self, web_conn_id, user_id):
        self.record("OnWebSocketConnect", "%s %s" % (web_conn_id, user_id))

    @hook
    def on_web_socket_disconnect(self, web_conn_id, user_id):
        self.record("OnWebSocketDisconnect", "%s %s" % (web_conn_id, user_id))

    @hook
    def web_socket_message_has_been_posted(self, web_conn_id, user_id, request):
        self.record("WebSocketMessageHasBeenPosted", "%s %s %d %s %s" % (web_conn_id, user_id, request.seq, request.action, request.data_json))

    # Server

    @hook
    def on_install(self, context, user_id):
        self.record("OnInstall", user_id)
        if user_id == "refuse":
            raise AppError("not for this user", id="chain.install.refused", status_code=403)

    @hook
    def configuration_will_be_saved(self, configuration):
        if configuration.get("reject") == self.letter:
            raise AppError("%s refuses the configuration" % self.letter, id="chain.config.refused", status_code=400)
        configuration["chain"] = configuration.get("chain", []) + [self.letter]
        return configuration

    @hook
    def notification_will_be_pushed(self, notification, user_id):
        self.react(notification.message)
        if ("reject-" + self.letter) in notification.message:
            return "%s stops the push to %s" % (self.letter, user_id)
        notification.message += " +" + self.letter
        return notification

    # Between plugins

    @hook
    def on_plugin_event(self, source_plugin_id, topic, payload):
        self.record("event:" + topic, "%s %s" % (source_plugin_id, payload.decode("utf-8")))

    @hook
    def execute_command(self, context, args):
        words = args.command.split()
        if words[0] == "/publish":
            return str(self.api.publish_plugin_event(words[1], " ".join(words[2:])))
        if words[0] == "/publish-oversized":
            # A topic or a payload over the bounds: the API answers AppError, which this
            # command's response carries.
            if words[1] == "topic":
                self.api.publish_plugin_event("t" * 257)
            self.api.publish_plugin_event("big", b"x" * ((1 << 20) + 1))
        return "unknown command"
