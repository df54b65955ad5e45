import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `Environment.install(bundleAt:options:)` did.
public struct PluginInstallReport: Sendable, Equatable {
    public var pluginID: String
    public var version: String
    /// The version it replaced, if any.
    public var previousVersion: String?
    /// The bundle's SHA-256, as checked.
    public var sha256: String
    /// Whether a venv was built from the bundle's requirements.txt.
    public var builtVenv: Bool
    /// Whether the new version was activated.
    public var activated: Bool
}

/// Why an install failed. In every case the plugins folder holds what it held before, and
/// a plugin that was active before is active again (unless `rollback` says otherwise).
public struct PluginInstallError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, CustomStringConvertible {
        /// The bundle was refused; nothing was changed.
        case bundle(BundleError)
        /// Another install of the same plugin is under way.
        case alreadyInstalling(String)
        /// The environment is shut down.
        case shutDown
        /// The new version could not be moved into place.
        case moveFailed(String)
        /// The new version did not activate, and was removed again.
        case activationFailed(PluginStartError)

        public var description: String {
            switch self {
            case .bundle(let error): "\(error)"
            case .alreadyInstalling(let id): "\(id) is already being installed"
            case .shutDown: "the environment is shut down"
            case .moveFailed(let detail): "could not move the new version into place: \(detail)"
            case .activationFailed(let error): "the new version did not activate: \(error)"
            }
        }
    }

    /// What became of the version that was there before.
    public enum Rollback: Sendable, Equatable, CustomStringConvertible {
        /// Nothing was touched (the bundle was refused before any change), or there was no
        /// previous version.
        case notNeeded
        /// The previous version is back in place, and active again if it was active.
        case restored(version: String, reactivated: Bool)
        /// The previous version could not be restored.
        case failed(String)

        public var description: String {
            switch self {
            case .notNeeded: "nothing to roll back"
            case .restored(let version, let reactivated):
                "rolled back to \(version)\(reactivated ? ", active again" : "")"
            case .failed(let detail): "rollback failed: \(detail)"
            }
        }
    }

    public var bundlePath: String
    public var reason: Reason
    public var rollback: Rollback

    public var description: String { "installing \(bundlePath): \(reason) (\(rollback))" }
}

extension Environment {
    /// Installs or upgrades a plugin from a `.tar.gz` bundle.
    ///
    /// The bundle is checked (SHA-256, and the Ed25519 signature when keys are trusted),
    /// unpacked into a private folder inside the plugins folder (refusing absolute names,
    /// `..`, links that leave the plugin, hard links and devices, and anything over the size
    /// and count limits), and its venv is built from `requirements.txt` — all while the old
    /// version, if any, keeps running. Only then is the old version stopped and swapped out.
    /// If the new version fails to activate, it is stopped and removed, and the old version
    /// is put back and re-activated.
    public func install(bundleAt path: String, options: PluginBundleOptions = .init()) async throws(PluginInstallError)
        -> PluginInstallReport
    {
        func failure(_ reason: PluginInstallError.Reason, _ rollback: PluginInstallError.Rollback = .notNeeded)
            -> PluginInstallError
        {
            PluginInstallError(bundlePath: path, reason: reason, rollback: rollback)
        }
        guard !isShutDown else { throw failure(.shutDown) }
        let staged: StagedBundle
        do {
            staged = try await PluginBundleStager(pluginsDirectory: pluginsDirectory, options: options)
                .stage(bundleAt: path)
        } catch {
            throw failure(.bundle(error))
        }
        defer { staged.discard() }
        let id = staged.manifest.id
        guard !isShutDown else { throw failure(.shutDown) }
        guard installing.insert(id).inserted else { throw failure(.alreadyInstalling(id)) }
        defer { installing.remove(id) }

        let destination = folders[id] ?? (pluginsDirectory as NSString).appendingPathComponent(id)
        let previousVersion = try? PluginManifest.load(fromDirectory: destination).version
        let wasRunning = await state(of: id).isRunning
        if wasRunning { await deactivate(id) }

        // Swap: the old version goes into the staging folder (removed on return unless restored).
        let backup = staged.stagingFolder + "/previous"
        let hadPrevious = Self.exists(destination)
        if hadPrevious {
            guard rename(destination, backup) == 0 else {
                let detail = "rename \(destination): \(String(cString: strerror(errno)))"
                throw failure(.moveFailed(detail), await restore(id, backup: nil, wasRunning: wasRunning, previousVersion))
            }
        }
        guard rename(staged.pluginFolder, destination) == 0 else {
            let detail = "rename into \(destination): \(String(cString: strerror(errno)))"
            throw failure(
                .moveFailed(detail),
                await restore(id, backup: hadPrevious ? backup : nil, wasRunning: wasRunning, previousVersion))
        }
        folders[id] = destination

        let activate = wasRunning || options.activate
        if activate {
            do {
                try await self.activate(id)
            } catch {
                await deactivate(id)
                // The failed version goes back into the staging folder, to be removed with it.
                _ = rename(destination, staged.stagingFolder + "/failed")
                let rollback = await restore(
                    id, backup: hadPrevious ? backup : nil, wasRunning: wasRunning, previousVersion)
                throw failure(.activationFailed(error), rollback)
            }
        }
        return PluginInstallReport(
            pluginID: id, version: staged.manifest.version, previousVersion: previousVersion, sha256: staged.sha256,
            builtVenv: staged.builtVenv, activated: activate)
    }

    /// Puts the previous version back (when there was one) and re-activates it if it was running.
    private func restore(_ id: String, backup: String?, wasRunning: Bool, _ previousVersion: String?) async
        -> PluginInstallError.Rollback
    {
        let destination = folders[id] ?? (pluginsDirectory as NSString).appendingPathComponent(id)
        if let backup {
            guard rename(backup, destination) == 0 else {
                return .failed("rename back to \(destination): \(String(cString: strerror(errno)))")
            }
        } else if !Self.exists(destination) {
            folders[id] = nil
            return .notNeeded
        }
        guard wasRunning else { return .restored(version: previousVersion ?? "unknown", reactivated: false) }
        do {
            try await activate(id)
            return .restored(version: previousVersion ?? "unknown", reactivated: true)
        } catch {
            return .failed("the previous version did not activate again: \(error)")
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

extension PluginState {
    /// Started, or on its way to running again.
    var isRunning: Bool {
        switch self {
        case .starting, .active, .restarting: true
        case .inactive, .stopping, .failed, .disabled: false
        }
    }
}
