import PluginHost
import RPC
import Testing

/// `Environment.serveHTTP(pluginID:head:body:)` with the real http_stream plugin: bodies
/// stream both ways, the head arrives before the body is done, and a consumer that goes
/// away cancels the plugin's call.
@Suite(.serialized) struct HTTPStreamingTests {
    static let pluginID = "test.http_stream"
    static let pattern = (0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0) }

    @Test func aStreamedUploadAndDownloadKeepEveryByte() async throws {
        try await withTestHost(plugins: ["http_stream"]) { host in
            try await host.environment.activate(Self.pluginID)
            // 8 MiB in 64 KiB chunks, produced as they are asked for.
            let chunks = 128
            let upload = AsyncStream<[UInt8]> { continuation in
                for _ in 0..<chunks { continuation.yield(Self.pattern) }
                continuation.finish()
            }
            let uploaded = try await host.environment.serveHTTP(
                pluginID: Self.pluginID, head: PluginHTTPRequestHead(method: "POST", url: "/upload"), body: upload)
            #expect(uploaded.statusCode == 200)
            let answer = String(decoding: try await uploaded.collect(upTo: 4096).body, as: UTF8.self)
            #expect(answer.contains("\"bytes\": \(chunks * Self.pattern.count)"))

            let download = try await host.environment.serveHTTP(
                pluginID: Self.pluginID, head: PluginHTTPRequestHead(method: "GET", url: "/download?mib=8"),
                body: AsyncStream<[UInt8]> { $0.finish() })
            #expect(download.statusCode == 200)
            var received = 0
            var intact = true
            for try await chunk in download.body {
                for (index, byte) in chunk.enumerated() where byte != UInt8(truncatingIfNeeded: received + index) {
                    intact = false
                    break
                }
                received += chunk.count
            }
            #expect(received == 8 * 1024 * 1024)
            #expect(intact)
        }
    }

    @Test func theHeadAndFirstEventArriveBeforeTheResponseIsDone() async throws {
        try await withTestHost(plugins: ["http_stream"]) { host in
            try await host.environment.activate(Self.pluginID)
            let events = try await host.environment.serveHTTP(
                pluginID: Self.pluginID, head: PluginHTTPRequestHead(method: "GET", url: "/events"),
                body: AsyncStream<[UInt8]> { $0.finish() })
            #expect(events.header("content-type") == "text/event-stream")
            var iterator = events.body.makeAsyncIterator()
            let first = try await iterator.next()
            #expect(first.map { String(decoding: $0, as: UTF8.self) } == "data: first\n\n")
            // The plugin's generator waits for this, which needs the first event.
            let ack = try await host.environment.serveHTTP(pluginID: Self.pluginID, PluginHTTPRequest(method: "POST", url: "/events/ack"))
            #expect(ack.statusCode == 204)
            var rest = ""
            while let chunk = try await iterator.next() { rest += String(decoding: chunk, as: UTF8.self) }
            #expect(rest == "data: acknowledged\n\ndata: done\n\n")
        }
    }

    @Test func aConsumerThatGoesAwayCancelsThePluginsCall() async throws {
        try await withTestHost(plugins: ["http_stream"]) { host in
            try await host.environment.activate(Self.pluginID)
            let endless = try await host.environment.serveHTTP(
                pluginID: Self.pluginID, head: PluginHTTPRequestHead(method: "GET", url: "/endless"),
                body: AsyncStream<[UInt8]> { $0.finish() })
            var received = 0
            for try await chunk in endless.body {
                received += chunk.count
                if received >= 1024 * 1024 { break }
            }
            endless.body.cancel()
            #expect(await eventually(timeout: .seconds(15)) { host.value(Self.pluginID, "download-cancelled") != nil })
        }
    }

    @Test func aRequestBodyThatFailsCancelsThePluginsCall() async throws {
        try await withTestHost(plugins: ["http_stream"]) { host in
            try await host.environment.activate(Self.pluginID)
            struct ClientWentAway: Error {}
            // 16 MiB first: each write waits for the plugin's flow-control window, so the
            // plugin's handler is reading the body by the time the source fails.
            let failing = AsyncThrowingStream<[UInt8], any Error> { continuation in
                for _ in 0..<256 { continuation.yield(Self.pattern) }
                continuation.finish(throwing: ClientWentAway())
            }
            await #expect(throws: RPCError.self) {
                _ = try await host.environment.serveHTTP(
                    pluginID: Self.pluginID, head: PluginHTTPRequestHead(method: "POST", url: "/upload"), body: failing)
            }
            #expect(await eventually(timeout: .seconds(15)) {
                host.value(Self.pluginID, "upload-cancelled")?.hasSuffix("cancelled=True") == true
            })
        }
    }
}
