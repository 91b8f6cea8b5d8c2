import ArgumentParser
import FlotillaAPIServer
import FlotillaClient
import FlotillaCore
import FlotillaScheduler
import Foundation

/// `flotilla explain`: asks the running scheduler why an object is placed as it is.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain scheduling decisions.", subcommands: [ExplainPodCommand.self])
}

/// `flotilla explain pod NAME [-n NS]`: every filter's verdict on every node, the best scores,
/// and the smallest changes that would let a pending pod fit.
struct ExplainPodCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pod",
        abstract: "Explain why a pod is pending, or why it runs on its node.")

    @Argument(help: "The pod's name.")
    var name: String

    @Option(name: [.short, .long], help: "The pod's namespace (default: the kubeconfig context's, else default).")
    var namespace: String?

    @Option(help: "The kubeconfig to use (default $KUBECONFIG, else <data-dir>/admin.kubeconfig).")
    var kubeconfig: String?

    @Option(help: "The server's data directory, for its admin kubeconfig (env FLOTILLA_DATA_DIR).")
    var dataDir: String?

    @Option(name: .shortAndLong, help: "table (default) or json.")
    var output: String = "table"

    func validate() throws {
        guard output == "table" || output == "json" else { throw ValidationError("--output must be table or json; got \(output)") }
    }

    func run() async throws {
        let path = kubeconfig ?? ProcessInfo.processInfo.environment["KUBECONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            ?? EnvironmentDefaults.dataDirectory(dataDir) + "/" + AdminCredentials.kubeconfigFileName
        let config: KubeConfig
        do {
            config = try KubeConfig.load(path: path)
        } catch let error as FlotillaError {
            throw CommandFailure(error.message)
        }
        let transport = try HTTPTransport(kubeConfig: config)
        let client = KubernetesClient(transport: transport)
        let namespace = namespace ?? config.namespace ?? "default"
        let reply: JSON
        do {
            reply = try await client.call("GET", ExplainRoute.path(namespace: namespace, name: name))
        } catch let error as FlotillaError {
            try? await transport.shutdown()
            throw CommandFailure(error.message)
        }
        try? await transport.shutdown()
        if output == "json" {
            print(reply.jsonText)
            return
        }
        let explanation = try KubernetesClient.decode(PodExplanation.self, from: reply)
        print(explanation.rendered(), terminator: "")
    }
}
