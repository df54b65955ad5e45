import ArgumentParser

/// `bench`: one executable, one subcommand per suite. Each suite lives in its own folder
/// (Wire/ for `bench wire`); a new suite adds its command type to `subcommands`.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measures Wire and RPC against their peers on this machine.",
        subcommands: [
            WireBenchCommand.self, ServeCommand.self, LoadCommand.self, RPCBenchCommand.self, SoakCommand.self,
            PluginBenchCommand.self,
        ]
    )
}
