/// `settings_schema` as plugin.json spells it, checked into a `PluginSettingsSchema`:
///
///     "settings_schema": {"settings": [
///       {"key": "Greeting", "type": "text", "default": "hello", "max_length": 40},
///       {"key": "Enabled", "type": "bool", "default": true},
///       {"key": "Limit", "type": "number", "default": 10, "min": 1, "max": 100},
///       {"key": "Mode", "type": "dropdown", "default": "fast",
///        "options": [{"display_name": "Fast", "value": "fast"}, {"display_name": "Safe", "value": "safe"}]}
///     ]}
///
/// Types: bool, text, longtext, number, dropdown, radio. A default must fit its setting.
struct RawSettingsSchema: Decodable {
    struct RawOption: Decodable {
        var display_name: String?
        var value: String?
    }

    struct RawSetting: Decodable {
        var key: String?
        var display_name: String?
        var type: String?
        var help_text: String?
        var `default`: JSONValue?
        var options: [RawOption]?
        var min: Double?
        var max: Double?
        var max_length: Int?
    }

    var settings: [RawSetting]?

    static let maximumSettings = 200
    static let maximumKeyLength = 64

    func validated() throws(ManifestError) -> PluginSettingsSchema {
        let raw = settings ?? []
        guard raw.count <= Self.maximumSettings else {
            throw .invalidSetting(key: "", reason: "is one of more than \(Self.maximumSettings) settings")
        }
        var keys = Set<String>()
        var settings: [PluginSetting] = []
        for (index, entry) in raw.enumerated() {
            guard let key = entry.key, !key.isEmpty, key.count <= Self.maximumKeyLength else {
                throw .invalidSetting(key: "#\(index)", reason: "needs a key of 1-\(Self.maximumKeyLength) characters")
            }
            guard keys.insert(key.lowercased()).inserted else { throw .invalidSetting(key: key, reason: "is declared twice") }
            let type = entry.type ?? ""
            let kind: PluginSetting.Kind
            switch type {
            case "bool":
                kind = .bool
            case "text", "longtext":
                if let maximum = entry.max_length, maximum < 1 {
                    throw .invalidSetting(key: key, reason: "has max_length below 1")
                }
                kind = .text(maximumLength: entry.max_length)
            case "number":
                if let minimum = entry.min, let maximum = entry.max, minimum > maximum {
                    throw .invalidSetting(key: key, reason: "has min above max")
                }
                kind = .number(minimum: entry.min, maximum: entry.max)
            case "dropdown", "radio":
                let options = entry.options ?? []
                guard !options.isEmpty else { throw .invalidSetting(key: key, reason: "(\(type)) has no options") }
                var choices: [PluginSetting.Option] = []
                for option in options {
                    guard let value = option.value else { throw .invalidSetting(key: key, reason: "has an option without a value") }
                    choices.append(.init(displayName: option.display_name ?? value, value: value))
                }
                kind = .choice(choices)
            default:
                throw .invalidSetting(
                    key: key, reason: "has type \"\(type)\", not one of bool, text, longtext, number, dropdown, radio")
            }
            var setting = PluginSetting(
                key: key, displayName: entry.display_name ?? key, type: type, kind: kind, defaultValue: nil)
            if let value = entry.default, value != .null {
                do {
                    try setting.validate(value)
                } catch {
                    throw .invalidSetting(key: key, reason: "has a default that does not fit: \(error)")
                }
                setting.defaultValue = switch value {
                case .bool(let flag): .bool(flag)
                case .number(let number): .number(number)
                case .string(let text): .text(text)
                case .null, .array, .object: nil
                }
            }
            settings.append(setting)
        }
        return PluginSettingsSchema(settings: settings)
    }
}
