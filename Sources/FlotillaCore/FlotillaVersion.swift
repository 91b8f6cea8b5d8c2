/// Flotilla's version and the Kubernetes API level it implements: the one place both are set.
public enum FlotillaVersion {
    /// Flotilla's own release version.
    public static let version = "0.1.0"
    /// The Kubernetes major version served by `/version`.
    public static let kubernetesMajor = "1"
    /// The Kubernetes minor version served by `/version`; `/usr/bin/kubectl` picks its binary by it.
    public static let kubernetesMinor = "32"
    /// The Kubernetes-style version string, e.g. `v1.32.0+flotilla.0.1.0`.
    public static var gitVersion: String { "v\(kubernetesMajor).\(kubernetesMinor).0+flotilla.\(version)" }
    /// The source revision; not recorded by the build.
    public static let gitCommit = "unknown"
    /// Whether the source tree was clean; not recorded by the build.
    public static let gitTreeState = "unknown"
    /// The build time; not recorded by the build, so the epoch as Kubernetes reports it when unset.
    public static let buildDate = "1970-01-01T00:00:00Z"

    /// The language and toolchain the binary was built with (the `goVersion` field of version.Info).
    public static var toolchain: String {
        #if swift(>=6.3)
        return "swift6.3"
        #elseif swift(>=6.2)
        return "swift6.2"
        #elseif swift(>=6.1)
        return "swift6.1"
        #else
        return "swift6.0"
        #endif
    }

    /// `os/arch` in Go's naming, e.g. `linux/amd64`.
    public static var platform: String {
        #if os(Linux)
        let os = "linux"
        #elseif os(macOS)
        let os = "darwin"
        #else
        let os = "unknown"
        #endif
        #if arch(x86_64)
        let arch = "amd64"
        #elseif arch(arm64)
        let arch = "arm64"
        #else
        let arch = "unknown"
        #endif
        return "\(os)/\(arch)"
    }

    /// The Kubernetes `version.Info` object served at `/version`, with every field.
    public static var info: JSON {
        .object([
            "major": .string(kubernetesMajor),
            "minor": .string(kubernetesMinor),
            "gitVersion": .string(gitVersion),
            "gitCommit": .string(gitCommit),
            "gitTreeState": .string(gitTreeState),
            "buildDate": .string(buildDate),
            "goVersion": .string(toolchain),
            "compiler": "swiftc",
            "platform": .string(platform),
        ])
    }
}
