import FlotillaCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One check of a ``Probe``: an HTTP GET or a TCP connection to the pod's address (from the
/// node, as a kubelet probes), or a command run in the container.
struct ProbeCheck: Sendable {
    /// The result of one check, and what it saw when it failed.
    enum Outcome: Sendable, Equatable {
        case success
        case failure(String)
        /// The check could not be made: the call to the runtime was lost with its connection. It
        /// counts neither as a success nor as a failure, as a kubelet throws away a probe that errs.
        case unknown(String)
    }

    let runtime: any ContainerRuntime

    func run(_ probe: Probe, podIP: String, containerID: String) async -> Outcome {
        switch probe.action {
        case .exec(let command):
            do {
                let result = try await runtime.execSync(containerID, command: command, timeout: probe.timeout)
                if result.exitCode == 0 { return .success }
                let output = (result.output + result.errorOutput).trimmingCharacters(in: .whitespacesAndNewlines)
                return .failure("command \(command) exited with \(result.exitCode)\(output.isEmpty ? "" : ": \(output)")")
            } catch let error as FlotillaError where error.code == .serviceUnavailable {
                return .unknown("command \(command) could not run: \(error.message)")
            } catch {
                return .failure("command \(command) could not run: \((error as? FlotillaError)?.message ?? "\(error)")")
            }
        case .tcpSocket(let host, let port):
            let address = host ?? podIP
            return await Self.blocking {
                switch Self.connect(address, port, timeout: probe.timeout) {
                case .success(let socket):
                    close(socket)
                    return .success
                case .failure(let message):
                    return .failure("dial tcp \(address):\(port): \(message)")
                }
            }
        case .httpGet(let scheme, let host, let port, let path, let headers):
            let address = host ?? podIP
            guard scheme == "http" else { return .failure("HTTPS probes are not supported by this agent") }
            return await Self.blocking { Self.httpGet(address, port, path: path, headers: headers, timeout: probe.timeout) }
        }
    }

    /// Runs blocking socket work off the cooperative threads.
    private static func blocking(_ work: @escaping @Sendable () -> Outcome) async -> Outcome {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    /// `GET path` with HTTP/1.1 and `Connection: close`; passes on a status from 200 to 399.
    private static func httpGet(_ address: String, _ port: Int, path: String, headers: [(String, String)], timeout: Duration) -> Outcome {
        let deadline = ContinuousClock.now + timeout
        let socket: Int32
        switch connect(address, port, timeout: timeout) {
        case .success(let opened): socket = opened
        case .failure(let message): return .failure("Get \"http://\(address):\(port)\(path)\": dial tcp: \(message)")
        }
        defer { close(socket) }
        var request = "GET \(path.hasPrefix("/") ? path : "/" + path) HTTP/1.1\r\nHost: \(address):\(port)\r\n"
        request += "User-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            return .failure("Get \"http://\(address):\(port)\(path)\": cannot send the request")
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !reply.contains(UInt8(ascii: "\n")) {
            let left = deadline - ContinuousClock.now
            guard left > .zero, wait(socket, for: Int16(POLLIN), timeout: left) else {
                return .failure("Get \"http://\(address):\(port)\(path)\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
            }
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return .failure("Get \"http://\(address):\(port)\(path)\": EOF") }
            reply += buffer[..<count]
        }
        let statusLine = String(decoding: reply.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let code = Int(fields[1]) else {
            return .failure("Get \"http://\(address):\(port)\(path)\": malformed HTTP response \(statusLine)")
        }
        return (200..<400).contains(code) ? .success : .failure("HTTP probe failed with statuscode: \(code)")
    }

    private enum Connection {
        case success(Int32)
        case failure(String)
    }

    /// Opens a TCP connection to an IPv4 `address`, waiting at most `timeout`.
    private static func connect(_ address: String, _ port: Int, timeout: Duration) -> Connection {
        var target = sockaddr_in()
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { return .failure("\(address) is not an IPv4 address") }
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { return .failure(String(cString: strerror(errno))) }
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 && errno != EINPROGRESS {
            let message = String(cString: strerror(errno))
            close(socket)
            return .failure(message.lowercased())
        }
        guard wait(socket, for: Int16(POLLOUT), timeout: timeout) else {
            close(socket)
            return .failure("i/o timeout")
        }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length)
        guard error == 0 else {
            close(socket)
            return .failure("connect: \(String(cString: strerror(error)).lowercased())")
        }
        return .success(socket)
    }

    /// Whether `socket` becomes ready for `events` within `timeout`.
    private static func wait(_ socket: Int32, for events: Int16, timeout: Duration) -> Bool {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        let milliseconds = Int32(max(1, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        return poll(&descriptor, 1, milliseconds) == 1
    }
}
