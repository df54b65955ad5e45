"""Demo plugin: moderates and decorates posts and their edits, counts posts in the
key-value store, answers /stats, serves its statistics over HTTP, refuses logins of blocked
users, and checks and cleans up uploaded files.

Hooks used: OnActivate, OnDeactivate, OnConfigurationChange, MessageWillBePosted,
MessageHasBeenPosted, MessageWillBeUpdated, UserWillLogIn, FileWillBeUploaded,
ExecuteCommand, ServeHTTP. Settings (plugin.json's settings_schema, in self.configuration):
EditMarker, BlockedUsers, MaxUploadKiB. API calls used: logging, server version, KV
get/set/compare-and-set/list, users, channels, post creation.
"""

import json

from mattermost_plugin import AppError, FileUpload, HTTPResponse, Plugin, hook, log, run


class DemoPlugin(Plugin):
    banned_words = ("forbidden",)

    @hook
    def on_activate(self):
        version = self.api.get_server_version()
        # Count activations with compare-and-set so concurrent hosts never lose one.
        for _ in range(10):
            current = self.api.kv_get("activations")
            count = int(current or b"0") + 1
            if self.api.kv_compare_and_set("activations", current, str(count)):
                break
        self.api.log_info("demo plugin activated", server_version=version, activations=count)

    @hook
    def on_deactivate(self):
        self.api.log_info("demo plugin deactivating")

    @hook
    def on_configuration_change(self, configuration):
        words = configuration.get("banned_words")
        if words is not None and not isinstance(words, list):
            raise AppError("banned_words must be a list", id="demo.config.invalid", status_code=400)
        if words is not None:
            self.banned_words = tuple(str(word).lower() for word in words)
        log.info("configuration applied", banned_words=",".join(self.banned_words))

    def _banned(self, message):
        lowered = message.lower()
        for word in self.banned_words:
            if word in lowered:
                return "posts containing %r are not allowed" % word
        return None

    @hook
    def message_will_be_posted(self, context, post):
        rejection = self._banned(post.message)
        if rejection:
            return rejection
        author = self.api.get_user(post.user_id)
        post.message = "%s (via @%s)" % (post.message, author.username)
        return post

    @hook
    def message_will_be_updated(self, context, new_post, old_post):
        rejection = self._banned(new_post.message)
        if rejection:
            return rejection
        new_post.message = "%s %s" % (new_post.message, self.configuration.get("EditMarker", "(edited)"))
        return new_post

    @hook
    def user_will_log_in(self, context, user):
        blocked = [name.strip() for name in str(self.configuration.get("BlockedUsers", "")).split(",")]
        if user.username in blocked:
            return "%s is blocked by the demo plugin" % user.username
        return None

    @hook
    def file_will_be_uploaded(self, context, file_info, content):
        limit = int(self.configuration.get("MaxUploadKiB", 1024)) * 1024
        if len(content) > limit:
            return "%s is larger than %d KiB" % (file_info.name, limit // 1024)
        if file_info.name.lower().endswith(".exe"):
            return "executables are not allowed"
        if file_info.mime_type.startswith("text/") and b"\r\n" in content:
            # Plain text is stored with Unix line endings.
            return FileUpload(content=content.replace(b"\r\n", b"\n"))
        return None

    @hook
    def message_has_been_posted(self, context, post):
        key = "posts:" + post.channel_id
        count = int(self.api.kv_get(key) or b"0") + 1
        self.api.kv_set(key, str(count))
        self.api.kv_set("last-post", post.id, expire_in_seconds=3600)
        if "ping" in post.message.lower():
            channel = self.api.get_channel(post.channel_id)
            self.api.create_post(post.channel_id, "pong from %s" % channel.name, root_id=post.id)

    @hook
    def execute_command(self, context, args):
        if args.command.strip() != "/stats":
            raise AppError("unknown command " + args.command, id="demo.command.unknown", status_code=404)
        return self._stats_text()

    @hook
    def serve_http(self, request):
        if request.url.startswith("/stats"):
            body = json.dumps(self._stats()).encode()
            return HTTPResponse(200, [("Content-Type", "application/json")], body)
        return HTTPResponse(404, [("Content-Type", "text/plain")], b"no such page")

    def _stats(self):
        stats = {}
        for key in self.api.kv_list(page=0, per_page=100):
            if key.startswith("posts:"):
                stats[key[len("posts:"):]] = int(self.api.kv_get(key) or b"0")
        return stats

    def _stats_text(self):
        stats = self._stats()
        if not stats:
            return "no posts yet"
        return ", ".join("%s: %d posts" % item for item in sorted(stats.items()))


if __name__ == "__main__":
    run(DemoPlugin())
