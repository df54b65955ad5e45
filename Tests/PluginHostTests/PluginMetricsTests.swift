import Foundation
import Metrics
import Prometheus
import Testing

@testable import PluginHost

#if canImport(Glibc)
import Glibc
#endif

/// The process-wide metrics backend for these tests: a Prometheus registry, bootstrapped once
/// (swift-metrics allows one bootstrap per process).
enum TestMetricsBackend {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static var exposition: String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The value of the sample whose line starts with `prefix` (`name{labels}`), if present.
    static func sample(_ prefix: String) -> Double? {
        for line in exposition.split(separator: "\n") where line.hasPrefix(prefix + " ") {
            return Double(line.dropFirst(prefix.count + 1))
        }
        return nil
    }
}

/// Per-plugin metrics with a real plugin process: API calls, hook calls, state and restarts.
@Suite(.serialized)
struct PluginMetricsTests {
    @Test func countsAPIAndHookCallsStateAndRestarts() async throws {
        _ = TestMetricsBackend.registry
        let id = "test.async_hooks"
        let host = try await TestHost.make(plugins: ["async_hooks"], configure: {
            $0.restartPolicy = RestartPolicy(initialBackoff: .milliseconds(100), maximumFailures: 5)
        })
        do {
            try await exercise(host, id)
        } catch {
            await host.tearDown()
            throw error
        }
        await host.tearDown()
    }

    private func exercise(_ host: TestHost, _ id: String) async throws {
        try await host.environment.activate(id)
        // OnActivate stored a key through the API.
        let kvSet = #"plugin_api_requests_total{plugin="\#(id)",method="KVSet",code="OK"}"#
        #expect(await eventually { TestMetricsBackend.sample(kvSet) == 1 }, "\(TestMetricsBackend.exposition)")
        #expect(TestMetricsBackend.sample(#"plugin_state{plugin="\#(id)",state="active"}"#) == 1)
        #expect(TestMetricsBackend.sample(#"plugin_state{plugin="\#(id)",state="starting"}"#) == 0)

        for text in ["hello", "reject this"] {
            _ = await host.environment.messageWillBePosted(makePost(text))
        }
        let hook = #"plugin_hook_calls_total{plugin="\#(id)",hook="MessageWillBePosted",code="OK"}"#
        #expect(TestMetricsBackend.sample(hook) == 2, "\(TestMetricsBackend.exposition)")
        let durations = #"plugin_hook_call_duration_seconds_count{plugin="\#(id)",hook="MessageWillBePosted"}"#
        #expect(TestMetricsBackend.sample(durations) == 2, "\(TestMetricsBackend.exposition)")

        // A crash: the supervisor restarts the plugin and counts it.
        let supervisor = try #require(await host.environment.supervisor(for: id))
        let pid = try #require(await supervisor.pid)
        #expect(kill(pid, SIGKILL) == 0)
        let restarts = #"plugin_restarts_total{plugin="\#(id)"}"#
        #expect(await eventually(timeout: .seconds(20)) { TestMetricsBackend.sample(restarts) == 1 })
        #expect(await eventuallyAsync(timeout: .seconds(20)) { await supervisor.state == .active })
        #expect(TestMetricsBackend.sample(#"plugin_state{plugin="\#(id)",state="active"}"#) == 1)
        #expect(await eventually { TestMetricsBackend.sample(kvSet) == 2 }, "OnActivate ran again")
    }
}
