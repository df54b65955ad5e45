import Foundation
import PluginHost

/// Input checks of the demo's PluginAPI: every bad input is a 400 AppError naming the field,
/// before anything is stored.
enum DemoChecks {
    static let maximumNameLength = 64
    static let maximumTextLength = 1024
    static let maximumMessageLength = 16383
    static let maximumPageSize = 200
    static let maximumProfileImageSize = 1 << 20
    static let maximumListedIDs = 200

    static func invalid(_ field: String, _ why: String) -> PluginAppError {
        PluginAppError(id: "app.invalid_param.\(field)", message: "invalid \(field): \(why)", statusCode: 400,
                       location: "PluginAPI")
    }

    static func notFound(_ what: String, _ key: String) -> PluginAppError {
        PluginAppError(id: "app.\(what).missing", message: "no \(what) \(key.prefix(80))", statusCode: 404,
                       location: "PluginAPI")
    }

    /// An id or other key: 1-64 characters.
    static func id(_ value: String, _ field: String) throws(PluginAppError) {
        guard !value.isEmpty, value.count <= maximumNameLength else {
            throw invalid(field, "must be 1-\(maximumNameLength) characters")
        }
    }

    /// A username, team or channel name: 1-64 of a-z, 0-9, '.', '_' and '-'.
    static func name(_ value: String, _ field: String) throws(PluginAppError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard !value.isEmpty, value.count <= maximumNameLength, value.allSatisfy(allowed.contains) else {
            throw invalid(field, "must be 1-\(maximumNameLength) of a-z 0-9 . _ -")
        }
    }

    static func email(_ value: String) throws(PluginAppError) {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.count <= 128, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !value.contains(where: \.isWhitespace)
        else { throw invalid("email", "not an address") }
    }

    static func text(_ value: String, _ field: String, maximum: Int = maximumTextLength) throws(PluginAppError) {
        guard value.count <= maximum else { throw invalid(field, "longer than \(maximum) characters") }
    }

    /// LIMIT and OFFSET for a zero-based page.
    static func paging(_ page: Int, _ perPage: Int) throws(PluginAppError) -> (limit: Int64, offset: Int64) {
        guard page >= 0, page <= 100_000, perPage >= 1, perPage <= maximumPageSize else {
            throw invalid("page", "page 0...100000, per_page 1...\(maximumPageSize)")
        }
        return (Int64(perPage), Int64(page) * Int64(perPage))
    }

    static func ids(_ values: [String], _ field: String) throws(PluginAppError) {
        guard values.count <= maximumListedIDs else { throw invalid(field, "more than \(maximumListedIDs)") }
        for value in values { try id(value, field) }
    }

    static func jsonObject(_ json: String, _ field: String) throws(PluginAppError) {
        guard json.utf8.count <= 1 << 20,
              (try? JSONSerialization.jsonObject(with: Data(json.utf8))) is [String: Any]
        else { throw invalid(field, "must be a JSON object of at most 1 MiB") }
    }

    /// A LIKE pattern matching `term` as a prefix, with LIKE's wildcards escaped (the pattern
    /// is still a bound parameter; this only keeps % and _ in a term literal).
    static func prefixPattern(_ term: String) -> String {
        term.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }
}
