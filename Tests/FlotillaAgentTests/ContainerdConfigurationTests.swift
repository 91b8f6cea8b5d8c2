import FlotillaAgent
import FlotillaCore
import Testing

@Suite struct ContainerdConfigurationTests {
    let configuration = ContainerdConfiguration(dataDirectory: "/var/lib/flotilla", insecureRegistries: ["registry.lan:5000"])

    @Test func keepsEverythingUnderTheDataDirectory() throws {
        #expect(configuration.socketPath == "/var/lib/flotilla/containerd/containerd.sock")
        let toml = configuration.toml()
        #expect(toml.contains("root = \"/var/lib/flotilla/containerd/root\""))
        #expect(toml.contains("state = \"/var/lib/flotilla/containerd/state\""))
        #expect(toml.contains("address = \"/var/lib/flotilla/containerd/containerd.sock\""))
        #expect(toml.contains("sandbox_image = \"\(SandboxImage.reference)\""))
        #expect(toml.contains("bin_dir = \"/usr/lib/cni\""))
        #expect(toml.contains("conf_dir = \"/var/lib/flotilla/cni/net.d\""))
        #expect(toml.contains("config_path = \"/var/lib/flotilla/containerd/certs.d\""))
        #expect(toml.contains("runtime_type = \"io.containerd.runc.v2\""))
        #expect(toml.contains("Root = \"/var/lib/flotilla/containerd/state/runc\""))
        try configuration.validate()
    }

    @Test func quotesPathsAsTOMLStrings() {
        let odd = ContainerdConfiguration(dataDirectory: "/data/with \"quotes\" and \\")
        #expect(odd.toml().contains(#"root = "/data/with \"quotes\" and \\/containerd/root""#))
    }

    @Test func insecureRegistriesArePulledOverPlainHTTP() {
        let hosts = configuration.registryHosts()
        #expect(hosts.map(\.host) == ["registry.lan:5000"])
        #expect(hosts.first?.toml.contains("server = \"http://registry.lan:5000\"") == true)
        #expect(hosts.first?.toml.contains("[host.\"http://registry.lan:5000\"]") == true)
    }

    @Test func rejectsASocketPathTooLongForUnixSockets() {
        let deep = ContainerdConfiguration(dataDirectory: "/" + String(repeating: "d", count: 100))
        #expect(throws: FlotillaError.self) { try deep.validate() }
    }

    @Test func podNetworkIsABridgeWithHostLocalAddressesAndPortMapping() {
        let network = CNINetworkConfiguration(subnet: "10.244.3.0/24", ipamDirectory: "/var/lib/flotilla/cni/ipam")
        let conflist = network.conflist
        #expect(conflist["cniVersion"] == "1.0.0")
        let plugins = conflist["plugins"].array ?? []
        #expect(plugins.map { $0["type"] } == ["bridge", "portmap"])
        #expect(plugins[0]["bridge"] == "flotilla0")
        #expect(plugins[0]["isGateway"] == true)
        #expect(plugins[0]["ipMasq"] == true)
        #expect(plugins[0]["ipam"]["type"] == "host-local")
        #expect(plugins[0]["ipam"]["ranges"][0][0]["subnet"] == "10.244.3.0/24")
        #expect(plugins[0]["ipam"]["dataDir"] == "/var/lib/flotilla/cni/ipam")
        #expect(plugins[1]["capabilities"]["portMappings"] == true)
    }
}
