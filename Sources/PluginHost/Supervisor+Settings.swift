/// What a plugin's manifest asks of the host before it starts (a server version) and the
/// configuration it gets: its settings schema's defaults merged with the saved values.
extension Supervisor {
    /// Refuses a plugin whose `min_server_version` is newer than the host's version, or that
    /// has one when the host cannot say its version (GetServerVersion unimplemented or failing).
    nonisolated func checkServerVersion() async throws(PluginStartError) {
        guard let required = manifest.minServerVersion else { return }
        let actual: String
        do {
            actual = try await api.serverVersion()
        } catch {
            actual = "of unknown version (\(error.message))"
        }
        guard let minimum = ServerVersion(required), let current = ServerVersion(actual) else {
            throw PluginStartError(
                pluginID: pluginID, reason: .serverVersionTooOld(required: required, actual: actual))
        }
        guard current >= minimum else {
            throw PluginStartError(pluginID: pluginID, reason: .serverVersionTooOld(required: required, actual: actual))
        }
    }

    /// The saved configuration (the host's `pluginConfiguration()`, "{}" when the host keeps
    /// none or cannot say) with the schema's defaults filled in, validated.
    nonisolated func startConfiguration() async throws(PluginStartError) -> String {
        let saved: String
        do {
            saved = try await api.pluginConfiguration()
        } catch {
            logger.info("no saved configuration (\(error)); using the settings' defaults")
            saved = "{}"
        }
        do {
            return try manifest.settingsSchema.resolve(savedJSON: saved)
        } catch {
            throw PluginStartError(pluginID: pluginID, reason: .invalidConfiguration(error.description))
        }
    }

    /// `json` with the schema's defaults filled in, or the reason it does not fit the schema.
    nonisolated func resolveConfiguration(_ json: String) -> Result<String, PluginAppError> {
        do {
            return .success(try manifest.settingsSchema.resolve(savedJSON: json))
        } catch {
            return .failure(PluginAppError(
                id: "plugin.settings.invalid", message: error.description, statusCode: 400,
                location: "PluginHost.configurationChanged"))
        }
    }
}
