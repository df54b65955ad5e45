import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The demo's real HTTP client (URLSession, libcurl on Linux): one GET to the host's own
/// HTTP port, so the demo shows a plugin's route served over the network.
enum DemoHTTPClient {
    /// "STATUS BODY" of a GET of `url`, or what went wrong. Bounded by a 10 s timeout.
    static func get(_ url: String) async -> String {
        guard let target = URL(string: url) else { return "bad URL \(url)" }
        var request = URLRequest(url: target)
        request.timeoutInterval = 10
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            return "\(status) \(String(decoding: data, as: UTF8.self))"
        } catch {
            return "failed: \(error)"
        }
    }
}
