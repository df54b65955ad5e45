import ObservabilityTestSupport
import PluginHost
import RPCObservability
import Testing
import Tracing

/// The trace crosses the plugin boundary both ways with a real Python plugin: the host's hook
/// call carries `traceparent`, the SDK keeps it while the hook runs and sends it on with the
/// plugin's API calls, and the host's API server continues it. The tracer is a real in-memory
/// W3C tracer collecting finished spans.
@Suite(.serialized) struct TracePropagationTests {
    static let hooks = "mattermost.pluginapi.v1.PluginHooks/"
    static let kvSet = "mattermost.pluginapi.v1.PluginAPI/KVSet"

    @Test func anAPICallMadeWhileAHookRunsIsAChildOfThatHookCall() async throws {
        let tracer = W3CRecordingTracer()
        try await withTestHost(plugins: ["traced"], configure: {
            $0.hookInterceptors = [ClientTracingInterceptor(tracer: tracer)]
            $0.apiServerInterceptors = [ServerTracingInterceptor(tracer: tracer)]
        }) { host in
            let id = "test.traced"
            try await host.environment.activate(id)

            // A plain hook (the API call on the hook's worker thread), then an `async def` one
            // (the API call through asyncio.to_thread), each under a request span of its own.
            let commandRequest = tracer.startSpan("command request", context: .topLevel)
            let response = try await ServiceContext.withValue(commandRequest.context) {
                try await host.environment.executeCommand(pluginID: id, command("/traced"))
            }
            commandRequest.end()
            #expect(response.response.text == "stored")
            #expect(host.value(id, "command") == "/traced")

            let post = tracer.startSpan("post request", context: .topLevel)
            let decision = await ServiceContext.withValue(post.context) {
                await host.environment.messageWillBePosted(makePost("traced post"))
            }
            post.end()
            #expect(decision == .allowed(makePost("traced post")))
            #expect(host.value(id, "post") == "traced post")

            for (request, hook) in [("command request", "ExecuteCommand"), ("post request", "MessageWillBePosted")] {
                let root = try #require(tracer.spans(named: request).first)
                let hookCall = try #require(tracer.spans(named: Self.hooks + hook).first { $0.traceID == root.traceID },
                                            "no \(hook) span in the request's trace")
                #expect(hookCall.kind == .client)
                #expect(hookCall.parentSpanID == root.spanID)
                // The API server's span ended before its status went out, so before the hook returned.
                let api = try #require(tracer.spans(named: Self.kvSet).first { $0.traceID == root.traceID },
                                       "no KVSet server span in the \(hook) trace; spans: \(tracer.finishedSpans.map(\.operationName))")
                #expect(api.kind == .server)
                #expect(api.parentSpanID == hookCall.spanID)
                #expect(api.attributes.get("rpc.grpc.status_code") == .int64(0))
            }
        }
    }
}
