/// The health watch of one plugin launch, run by its supervisor: the process's exit, and the
/// plugin's gRPC health service asked every `healthCheckInterval`.
enum HealthMonitor {
    /// Watches one launch: returns (calling `fail`) when the process exits or health checks
    /// fail `unhealthyChecksBeforeRestart` times in a row; returns quietly when cancelled.
    static func watch(
        _ running: Supervisor.Running, configuration: SupervisorConfiguration,
        fail: @Sendable (CrashReport.Cause) async -> Void
    ) async {
        var failedChecks = 0
        while !Task.isCancelled {
            if let status = await running.process.waitForExit(timeout: configuration.healthCheckInterval) {
                await fail(.exited(status))
                return
            }
            if Task.isCancelled { return }
            running.process.rememberDescendants()
            if await running.hooks.isHealthy(timeout: configuration.healthCheckTimeout) {
                failedChecks = 0
            } else {
                failedChecks += 1
                if failedChecks >= configuration.unhealthyChecksBeforeRestart {
                    await fail(.unhealthy(failedChecks: failedChecks))
                    return
                }
            }
        }
    }
}
