# Hooks written as `async def` (run on the SDK's event loop): slow posts overlap in time,
# every hook sees its deadline, and one still running at its deadline is cancelled.
import asyncio, os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from mattermost_plugin import AppError, HTTPResponse, Plugin, current_call, hook, run


class AsyncHooks(Plugin):
    @hook
    async def on_activate(self):
        await asyncio.to_thread(self.api.kv_set, "activated", "async")

    @hook
    async def message_will_be_posted(self, context, post):
        if post.message.startswith("sleep"):
            await asyncio.sleep(0.5)
        if post.message.startswith("linger"):
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                await asyncio.to_thread(self.api.kv_set, "cancelled", post.message)
                raise
        if post.message.startswith("reject"):
            raise AppError("async rejection")
        remaining = current_call().time_remaining()
        post.message += " [async, %s]" % ("no deadline" if remaining is None else "deadline")
        return post

    @hook
    async def serve_http(self, request):
        return HTTPResponse(201, [("Content-Type", "text/plain")], "async %s" % request.url)


run(AsyncHooks())
