import FlotillaAPI
import FlotillaCore
import Foundation

/// The query of a `pods/exec`, `pods/attach` or `pods/portforward` request (Kubernetes'
/// `PodExecOptions`, `PodAttachOptions`, `PodPortForwardOptions`), checked as the API server
/// checks it, and the websocket subprotocols each speaks.
struct PodConnectQuery {
    var container: String?
    /// The options the agent acts on, as query parameters.
    var forwarded: [(name: String, value: String)] = []
    let subresource: String

    /// Port forwarding: SPDY/3.1 carried in binary websocket messages.
    static let portForwardProtocols = ["SPDY/3.1+portforward.k8s.io"]

    init(_ subresource: String, _ request: APIRequest) throws {
        self.subresource = subresource
        container = request.queryValue("container").flatMap { $0.isEmpty ? nil : $0 }
        if subresource == "portforward" {
            for text in request.queryValues("ports") {
                guard let port = Int(text), (1...65535).contains(port) else {
                    throw FlotillaError(.badRequest, "ports: invalid value \"\(text)\": must be a port number between 1 and 65535")
                }
                forwarded.append(("port", String(port)))
            }
            return
        }
        func flag(_ name: String, default value: Bool) throws -> Bool {
            guard let text = request.queryValue(name), !text.isEmpty else { return value }
            guard let parsed = Bool(text.lowercased()) ?? (text == "1" ? true : text == "0" ? false : nil) else {
                throw FlotillaError(.badRequest, "\(name): invalid value \"\(text)\": must be true or false")
            }
            return parsed
        }
        let tty = try flag("tty", default: false)
        let stdin = try flag("stdin", default: false)
        let stdout = try flag("stdout", default: true)
        // A terminal merges stderr into stdout.
        let stderr = try flag("stderr", default: true) && !tty
        if subresource == "exec" {
            let command = request.queryValues("command")
            guard !command.isEmpty, !command[0].isEmpty else {
                throw FlotillaError(.badRequest, "command: Required value: you must specify at least one command for the container")
            }
            forwarded += command.map { ("command", $0) }
        }
        guard stdin || stdout || stderr else {
            throw FlotillaError(.badRequest, "you must specify at least one of stdin, stdout, stderr")
        }
        forwarded += [("stdin", String(stdin)), ("stdout", String(stdout)), ("stderr", String(stderr)), ("tty", String(tty))]
    }

    /// The subprotocol to answer with: the first one this server speaks of those the client offers.
    func subprotocol(offered request: APIRequest) throws -> String {
        let offered = request.headers.filter { $0.name == "sec-websocket-protocol" }
            .flatMap { $0.value.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let supported = subresource == "portforward" ? Self.portForwardProtocols : APIResponder.channelProtocols
        guard let chosen = supported.first(where: offered.contains) else {
            throw FlotillaError(.badRequest, "unable to upgrade: none of the requested subprotocols [\(offered.joined(separator: ", "))] is supported; use one of [\(supported.joined(separator: ", "))]")
        }
        return chosen
    }
}
