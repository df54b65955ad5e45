"""chain_c: the same behaviour as chain_a and chain_b, with some hooks written as `async def`."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hookchain import HookChainPlugin  # noqa: E402
from mattermost_plugin import hook, run  # noqa: E402


class AsyncChainPlugin(HookChainPlugin):
    @hook
    async def message_will_be_updated(self, context, new_post, old_post):
        return await asyncio.to_thread(super().message_will_be_updated, context, new_post, old_post)

    @hook
    async def user_will_log_in(self, context, user):
        return await asyncio.to_thread(super().user_will_log_in, context, user)

    @hook
    async def on_plugin_event(self, source_plugin_id, topic, payload):
        await asyncio.to_thread(self.record, "event:" + topic, "%s %s" % (source_plugin_id, payload.decode("utf-8")))


run(AsyncChainPlugin())
