import Foundation

/// The typed settings a plugin declares in its manifest (`settings_schema.settings`), with
/// defaults and validation. The host merges the defaults with the saved configuration,
/// validates the result and hands it to the plugin before `OnActivate` and with every
/// configuration change.
public struct PluginSettingsSchema: Sendable, Equatable {
    public var settings: [PluginSetting]

    public init(settings: [PluginSetting] = []) { self.settings = settings }

    /// `saved` (a JSON object) with each setting's default filled in where it has no value,
    /// validated; keys the schema does not declare are kept as they are. Returns the
    /// effective configuration as a JSON object with sorted keys.
    public func resolve(savedJSON saved: String) throws(SettingsError) -> String {
        let trimmed = saved.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = trimmed.isEmpty ? "{}" : trimmed
        guard var values = JSONValue.object(parsing: text) else { throw .notAnObject }
        // Without settings there is nothing to fill in: the plugin gets the text as saved.
        if settings.isEmpty { return text }
        for setting in settings {
            if let value = values[setting.key], value != .null {
                try setting.validate(value)
            } else if let defaultValue = setting.defaultValue {
                values[setting.key] = defaultValue.json
            }
        }
        return JSONValue.text(of: values)
    }
}

/// One setting of a plugin's settings schema.
public struct PluginSetting: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public var displayName: String
        public var value: String
    }

    public enum Kind: Sendable, Equatable {
        case bool
        /// `text` or `longtext`, at most `maximumLength` characters when set.
        case text(maximumLength: Int?)
        case number(minimum: Double?, maximum: Double?)
        /// `dropdown` or `radio`: the value is one of the options' values.
        case choice([Option])
    }

    public var key: String
    public var displayName: String
    public var type: String
    public var kind: Kind
    public var defaultValue: PluginSettingValue?

    func validate(_ value: JSONValue) throws(SettingsError) {
        switch (kind, value) {
        case (.bool, .bool):
            return
        case (.text(let maximum), .string(let text)):
            if let maximum, text.count > maximum { throw .tooLong(key: key, maximum: maximum) }
        case (.number(let minimum, let maximum), .number(let number)):
            if let minimum, number < minimum { throw .outOfRange(key: key, value: number) }
            if let maximum, number > maximum { throw .outOfRange(key: key, value: number) }
        case (.choice(let options), .string(let text)):
            guard options.contains(where: { $0.value == text }) else {
                throw .notAnOption(key: key, value: text, options: options.map(\.value))
            }
        default:
            throw .wrongType(key: key, expected: type)
        }
    }
}

/// A setting's value: what a default may be.
public enum PluginSettingValue: Sendable, Equatable {
    case bool(Bool)
    case text(String)
    case number(Double)

    var json: JSONValue {
        switch self {
        case .bool(let value): .bool(value)
        case .text(let value): .string(value)
        case .number(let value): .number(value)
        }
    }
}

/// Why a configuration does not fit a plugin's settings schema.
public enum SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAnObject
    case wrongType(key: String, expected: String)
    case tooLong(key: String, maximum: Int)
    case outOfRange(key: String, value: Double)
    case notAnOption(key: String, value: String, options: [String])

    public var description: String {
        switch self {
        case .notAnObject: "the configuration is not a JSON object"
        case .wrongType(let key, let expected): "setting \"\(key)\" must be a \(expected) value"
        case .tooLong(let key, let maximum): "setting \"\(key)\" is longer than \(maximum) characters"
        case .outOfRange(let key, let value): "setting \"\(key)\" is out of range: \(value)"
        case .notAnOption(let key, let value, let options):
            "setting \"\(key)\" is \"\(value)\", not one of \(options.map { "\"\($0)\"" }.joined(separator: ", "))"
        }
    }
}
