"""Plugin, @hook and the HTTP types, without a process."""

import unittest

import host_double  # noqa: F401 - puts the SDK on sys.path
from mattermost_plugin import HTTPRequest, HTTPResponse, Plugin, RequestContext, current_call, hook


class Sample(Plugin):
    @property
    def expensive(self) -> str:
        raise RuntimeError("a property must not be evaluated to find hooks")

    @hook
    def on_activate(self) -> None:
        pass

    @hook("ServeHTTP")
    async def pages(self, request: HTTPRequest) -> HTTPResponse:
        return HTTPResponse(body="é")


class PluginClassTests(unittest.TestCase):
    def test_implemented_hooks_come_from_the_decorated_methods(self) -> None:
        plugin = Sample()
        self.assertEqual(sorted(plugin.implemented_hooks()), ["OnActivate", "ServeHTTP"])
        self.assertEqual(plugin._hook_method("ServeHTTP"), plugin.pages)
        self.assertIsNone(plugin._hook_method("ExecuteCommand"))

    def test_every_hook_of_the_service_has_a_method_name_and_a_handler(self) -> None:
        from mattermost_plugin._generated import hooks_pb2, hooks_pb2_grpc
        from mattermost_plugin._hooks_service import HooksServicer
        from mattermost_plugin.plugin import HOOK_NAMES

        service = hooks_pb2.DESCRIPTOR.services_by_name["PluginHooks"]
        rpcs = {method.name for method in service.methods}
        self.assertEqual(set(HOOK_NAMES.values()), rpcs - {"Implemented", "Shutdown"})
        for name in rpcs:
            # Served by the SDK, not by the generated base class that answers UNIMPLEMENTED.
            self.assertIsNot(getattr(HooksServicer, name), getattr(hooks_pb2_grpc.PluginHooksServicer, name), name)

    def test_hook_rejects_unknown_names(self) -> None:
        with self.assertRaises(ValueError):
            hook("OnSomething")
        with self.assertRaises(ValueError):

            @hook
            def not_a_hook(self: Plugin) -> None:
                pass

    def test_http_types(self) -> None:
        request = HTTPRequest("GET", "/x", [("Content-Type", "text/plain")], b"", "", RequestContext())
        self.assertEqual(request.header("content-type"), "text/plain")
        self.assertIsNone(request.header("accept"))
        self.assertEqual(HTTPResponse(body="é").body_bytes(), "é".encode("utf-8"))
        self.assertEqual(HTTPResponse().status, 200)

    def test_no_current_call_outside_a_hook(self) -> None:
        self.assertIsNone(current_call())


if __name__ == "__main__":
    unittest.main()
