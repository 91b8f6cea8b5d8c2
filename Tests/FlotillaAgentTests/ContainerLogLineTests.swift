import FlotillaAgent
import Testing

@Suite struct ContainerLogLineTests {
    @Test func parsesCRILogEntries() throws {
        let text = """
            2026-01-02T03:04:05.123456789Z stdout F hello world
            2026-01-02T03:04:05.2Z stderr P part one 
            2026-01-02T03:04:05.3Z stderr F 
            not a log line
            2026-01-02T03:04:05.4Z stdin F nope

            """
        let entries = ContainerLogLine.entries(in: text)
        #expect(entries.count == 3)
        #expect(entries[0].timestamp == "2026-01-02T03:04:05.123456789Z")
        #expect(entries[0].stream == .stdout)
        #expect(entries[0].partial == false)
        #expect(entries[0].text == "hello world")
        #expect(entries[1].stream == .stderr)
        #expect(entries[1].partial)
        #expect(entries[1].text == "part one ")
        #expect(entries[2].text == "")
    }
}
