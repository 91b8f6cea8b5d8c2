import Foundation

// dns-bench: the cluster DNS benchmark's server and load generator.
//   dns-bench serve --port P --services N [--threads T]   our server on 127.0.0.1:P with N services
//   dns-bench hosts --services N                          the same names as a hosts file (for dnsmasq)
//   dns-bench load --port P --services N [--seconds S] [--sockets K] [--window W]
//                                                         queries 127.0.0.1:P, prints one JSON line

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func intOption(_ name: String, _ fallback: Int) -> Int {
    option(name).flatMap(Int.init) ?? fallback
}

let services = intOption("--services", 1000)
switch CommandLine.arguments.dropFirst().first {
case "serve":
    try await BenchServer.serve(port: intOption("--port", 5353), services: services, threads: intOption("--threads", 2))
case "hosts":
    print(BenchNames.hostsFile(services), terminator: "")
case "load":
    let result = LoadGenerator(
        port: intOption("--port", 5353), names: BenchNames.names(services), seconds: Double(intOption("--seconds", 5)),
        sockets: intOption("--sockets", 4), window: intOption("--window", 64)
    ).run()
    let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
default:
    FileHandle.standardError.write(Data("usage: dns-bench serve|hosts|load [options]\n".utf8))
    exit(2)
}
