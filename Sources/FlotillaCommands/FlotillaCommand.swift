import ArgumentParser

/// The `flotilla` command tree.
public struct FlotillaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flotilla",
        abstract: "A container orchestrator that speaks the Kubernetes API.",
        subcommands: []
    )

    public init() {}
}
