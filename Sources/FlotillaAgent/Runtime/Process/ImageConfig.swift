import FlotillaCore
import Foundation

/// The defaults an image's config blob gives its containers: entrypoint, command, environment
/// and working directory (the `config` object of the OCI image configuration).
public struct ImageConfig: Sendable, Equatable, Codable {
    public var entrypoint: [String]
    public var cmd: [String]
    /// `NAME=value` entries.
    public var env: [String]
    public var workingDir: String

    public init(entrypoint: [String] = [], cmd: [String] = [], env: [String] = [], workingDir: String = "") {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
    }

    private struct Blob: Decodable {
        struct Config: Decodable {
            var Entrypoint: [String]?
            var Cmd: [String]?
            var Env: [String]?
            var WorkingDir: String?
        }

        var config: Config?
    }

    /// Reads the defaults from an image config blob.
    public init(blob: [UInt8]) throws {
        let decoded: Blob
        do {
            decoded = try JSONDecoder().decode(Blob.self, from: Data(blob))
        } catch {
            throw FlotillaError(.internalError, "the image's config is not valid JSON: \(error)")
        }
        self.init(
            entrypoint: decoded.config?.Entrypoint ?? [], cmd: decoded.config?.Cmd ?? [], env: decoded.config?.Env ?? [],
            workingDir: decoded.config?.WorkingDir ?? "")
    }

    /// What a container runs, as Kubernetes combines it with the image's: its `command` replaces
    /// the entrypoint and drops the image's `Cmd`; its `args` replace `Cmd`.
    public func argv(command: [String], args: [String]) -> [String] {
        if !command.isEmpty { return command + args }
        return entrypoint + (args.isEmpty ? cmd : args)
    }

    /// The image's environment with the container's on top (a container's variable replaces the
    /// image's of the same name), in order, with a default `PATH` when neither sets one.
    public func environment(_ container: [ContainerConfiguration.EnvironmentVariable], hostname: String) -> [String] {
        var names: [String] = []
        var values: [String: String] = [:]
        func set(_ name: String, _ value: String) {
            if values[name] == nil { names.append(name) }
            values[name] = value
        }
        set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        set("HOSTNAME", hostname)
        for entry in env {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            set(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        for variable in container { set(variable.name, variable.value) }
        return names.map { "\($0)=\(values[$0]!)" }
    }
}
