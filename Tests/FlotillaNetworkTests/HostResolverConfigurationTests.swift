import FlotillaNetwork
import Testing

@Suite struct HostResolverConfigurationTests {
    @Test func readsServersSearchesAndOptions() {
        let parsed = HostResolverConfiguration(parsing: """
            # generated
            nameserver 192.0.2.53
            domain example.org
            search corp.example.org example.org ; trailing comment
            nameserver 192.0.2.54 ignored
            options ndots:2 timeout:1
            ; another comment
            """)
        #expect(parsed.nameservers == ["192.0.2.53", "192.0.2.54"])
        #expect(parsed.searches == ["corp.example.org", "example.org"])
        #expect(parsed.options == ["ndots:2", "timeout:1"])
    }

    @Test func missingFileIsEmpty() {
        #expect(HostResolverConfiguration.load(path: "/nonexistent/resolv.conf") == HostResolverConfiguration())
    }
}
