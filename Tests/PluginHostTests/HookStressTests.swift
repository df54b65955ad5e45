import Foundation
import Testing

@testable import PluginHost

@Suite(.serialized) struct HookStressTests {
    @Test func manySequentialHookCallsAllSucceed() async throws {
        try await withTestHost(plugins: ["testkit"]) { host in
            try await host.environment.activate("test.testkit")
            let supervisor = try #require(await host.environment.supervisor(for: "test.testkit"))
            var failures: [String] = []
            for index in 0..<200 {
                let outcome = await supervisor.messageWillBePosted(makePost("modify \(index)"))
                if case .modified = outcome { continue }
                failures.append("\(index): \(outcome)")
            }
            #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
        }
    }
}
