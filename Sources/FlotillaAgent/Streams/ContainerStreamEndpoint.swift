import FlotillaAPI
import FlotillaCore

/// The agent's pod connections, as a kubelet serves them, each an upgraded connection
/// (``APIRequest/inbound``) answered with `101` and the session's messages:
/// - `POST /exec/<namespace>/<pod>/<container>?command=…&stdin=&stdout=&stderr=&tty=`
/// - `POST /attach/<namespace>/<pod>/<container>?stdin=&stdout=&stderr=&tty=`
///   (both in the `v5.channel.k8s.io` framing, see ``RemoteCommandBridge``)
/// - `POST /portForward/<namespace>/<pod>` (SPDY/3.1 `portforward.k8s.io` bytes, see ``PortForwardRelay``)
///
/// each with the pod's uid (`podUID`). The runtime's streaming server runs the session; errors
/// before it starts are `Status` objects in kubelet's words.
struct ContainerStreamEndpoint: AgentRoute {
    let runtime: any ContainerRuntime

    func serve(_ request: APIRequest) async throws -> APIResponse {
        let segments = request.path.split(separator: "/").map(String.init)
        let kind = segments.first ?? ""
        guard ["GET", "POST"].contains(request.method), segments.count == (kind == "portForward" ? 3 : 4) else {
            throw FlotillaError(.notFound, "the agent serves no \(request.method) \(request.path)")
        }
        guard let inbound = request.inbound else {
            throw FlotillaError(.badRequest, "Upgrade request required")
        }
        guard let uid = request.queryValue("podUID"), !uid.isEmpty else {
            throw FlotillaError(.badRequest, "podUID is required")
        }
        let pod = segments[2]
        let (stream, output) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let session: Task<Void, Never>
        if kind == "portForward" {
            let sandboxes = try await runtime.listSandboxes(labels: [PodLabels.podUID: uid])
            guard let sandbox = sandboxes.filter({ $0.state == .ready }).max(by: { $0.attempt < $1.attempt }) else {
                throw FlotillaError(.badRequest, "pod \"\(pod)\" has no running sandbox")
            }
            let ports = request.queryValues("port").compactMap { Int32($0) }
            let url = try await runtime.streamingURL(.portForward(sandboxID: sandbox.id, ports: ports))
            session = Task { await PortForwardRelay.run(url: url, inbound: inbound, output: output) }
        } else {
            let container = segments[3]
            let running = try await runtime.listContainers(inSandbox: nil, labels: [PodLabels.podUID: uid, PodLabels.container: container])
                .filter { $0.state == .running }
                .max { ($0.attempt, $0.createdAt) < ($1.attempt, $1.createdAt) }
            guard let running else {
                throw FlotillaError(.badRequest, "container \"\(container)\" in pod \"\(pod)\" is not running")
            }
            let flag = { (name: String) in request.queryValue(name) == "true" }
            let streams = StreamingRequest.Streams(stdin: flag("stdin"), stdout: flag("stdout"), stderr: flag("stderr"), tty: flag("tty"))
            let url = try await runtime.streamingURL(kind == "exec"
                ? .exec(containerID: running.id, command: request.queryValues("command"), streams: streams)
                : .attach(containerID: running.id, streams: streams))
            session = Task { await RemoteCommandBridge(streams: streams).run(url: url, inbound: inbound, output: output) }
        }
        output.onTermination = { _ in session.cancel() }
        return APIResponse(status: 101, body: .stream(stream))
    }
}
