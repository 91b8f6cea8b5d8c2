import ArgumentParser
import FlotillaAPIServer
import FlotillaCore

/// `flotilla version`: Flotilla's version and the Kubernetes API level it serves.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    @Option(name: [.short, .long], help: "text (default) or json.")
    var output: String = "text"

    func run() throws {
        switch output {
        case "json":
            var info = FlotillaVersion.info
            if case .object(var o) = info {
                o["flotillaVersion"] = .string(FlotillaVersion.version)
                info = .object(o)
            }
            print(info.jsonText)
        case "text":
            print("flotilla \(FlotillaVersion.version) (Kubernetes API \(FlotillaVersion.gitVersion), \(FlotillaVersion.platform))")
        default:
            throw ValidationError("--output must be text or json; got \(output)")
        }
    }
}
