# Makes PluginAPI calls while handling hooks, from a plain hook (on the hook's worker thread)
# and from an `async def` hook (through asyncio.to_thread), so the host's test sees each API
# call continue the trace of the hook call that caused it.
import asyncio, os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from mattermost_plugin import Plugin, hook, run


class Traced(Plugin):
    @hook
    def execute_command(self, context, args):
        self.api.kv_set("command", args.command)
        return "stored"

    @hook
    async def message_will_be_posted(self, context, post):
        await asyncio.to_thread(self.api.kv_set, "post", post.message)
        return post


run(Traced())
