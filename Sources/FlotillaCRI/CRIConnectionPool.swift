import FlotillaCore
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// The connections a ``CRIClient`` spreads its calls over, each retired after a fixed number of
/// calls.
///
/// containerd's gRPC server pings the client after each request it receives (to size its
/// flow-control window), and the client's HTTP/2 stack closes a connection that receives more
/// than 200 control frames (pings and settings) in 30 s, failing every call in flight on it
/// ("Stream unexpectedly closed"). containerd then cancels those calls: a container being
/// started is left exited (`StartError`) instead of running. So no connection carries more
/// than ``callsPerConnection`` calls: the one that has is replaced by a fresh connection, and
/// closed once the calls still running on it have finished.
final class CRIConnectionPool: Sendable {
    typealias Client = GRPCClient<HTTP2ClientTransport.Posix>

    /// Calls one connection carries in its life, well below the 200 control frames its HTTP/2
    /// stack accepts in 30 s (containerd's initial and window settings count too).
    static let callsPerConnection = 100

    private struct Connection {
        let serial: Int
        let client: Client
        let running: Task<Void, Never>
        /// Calls begun on it.
        var calls = 0
        /// Calls begun on it that have not finished.
        var inFlight = 0
        /// It carried its share: no more calls go to it, and it closes once they have finished.
        var retired = false
    }

    private struct State {
        /// Every connection not closed yet, by serial number.
        var connections: [Int: Connection] = [:]
        /// The serial numbers of the connections new calls go to, in turn.
        var inTurn: [Int] = []
        /// The index in ``inTurn`` of the connection the next call goes to.
        var turn = 0
        var nextSerial = 0
    }

    private let makeClient: @Sendable () throws -> Client
    private let state = Mutex(State())

    /// `count` connections made by `makeClient`, connecting lazily.
    init(count: Int, makeClient: @escaping @Sendable () throws -> Client) throws {
        self.makeClient = makeClient
        try state.withLock { state in
            for _ in 0..<max(1, count) {
                let serial = try add(makeClient(), to: &state)
                state.inTurn.append(serial)
            }
        }
    }

    /// Runs `body` with the next connection in turn, which stays open until `body` returns.
    func withConnection<Result>(_ body: (Client) async throws -> Result) async throws -> Result {
        let (serial, client) = try acquire()
        defer { release(serial) }
        return try await body(client)
    }

    /// Closes every connection once the calls in flight on it have finished.
    func close() async {
        let connections = state.withLock { Array($0.connections.values) }
        for connection in connections { connection.client.beginGracefulShutdown() }
        for connection in connections { await connection.running.value }
    }

    /// Adds `client` to the connections and runs it; returns its serial number. The connection
    /// leaves the list once it has closed.
    private func add(_ client: Client, to state: inout State) -> Int {
        let serial = state.nextSerial
        state.nextSerial += 1
        let running = Task { [weak self] in
            try? await client.runConnections()
            self?.state.withLock { _ = $0.connections.removeValue(forKey: serial) }
        }
        state.connections[serial] = Connection(serial: serial, client: client, running: running)
        return serial
    }

    /// The next connection in turn, counted as carrying one more call; a connection that has
    /// carried its share is retired and a fresh one takes its place. Throws once the pool is closed.
    private func acquire() throws -> (Int, Client) {
        let (serial, client, closing) = try state.withLock { state -> (Int, Client, Client?) in
            let index = state.turn
            state.turn = (index + 1) % state.inTurn.count
            guard let next = state.connections[state.inTurn[index]] else {
                throw FlotillaError(.serviceUnavailable, "the connections to the container runtime are closed")
            }
            var closing: Client?
            if next.calls >= Self.callsPerConnection {
                let fresh = try add(makeClient(), to: &state)
                state.inTurn[index] = fresh
                state.connections[next.serial]!.retired = true
                if next.inFlight == 0 { closing = next.client }
            }
            let serial = state.inTurn[index]
            state.connections[serial]!.calls += 1
            state.connections[serial]!.inFlight += 1
            return (serial, state.connections[serial]!.client, closing)
        }
        closing?.beginGracefulShutdown()
        return (serial, client)
    }

    /// One call on connection `serial` finished; a retired connection closes with its last call.
    private func release(_ serial: Int) {
        let closing = state.withLock { state -> Client? in
            // A connection closed with the pool may have left the list already.
            guard var connection = state.connections[serial] else { return nil }
            connection.inFlight -= 1
            state.connections[serial] = connection
            return connection.retired && connection.inFlight == 0 ? connection.client : nil
        }
        closing?.beginGracefulShutdown()
    }
}
