import ArgumentParser

/// The `flotilla` command tree.
public struct FlotillaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flotilla",
        abstract: "A container orchestrator that speaks the Kubernetes API.",
        subcommands: [
            ServerCommand.self, AgentCommand.self, ExplainCommand.self, VersionCommand.self, KubeconfigCommand.self, ProcessShimCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments` (nil: the process's) and runs the chosen command, awaiting async ones.
    ///
    /// The executable calls this rather than `main()`, whose synchronous overload can win overload
    /// resolution at top level and then refuses the async subcommands.
    public static func runFromCommandLine(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
