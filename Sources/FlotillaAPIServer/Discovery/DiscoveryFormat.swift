/// Which discovery document format a client asked for in its `Accept` header.
public enum DiscoveryFormat: Sendable, Equatable {
    /// apidiscovery.k8s.io/v2 `APIGroupDiscoveryList`.
    case aggregated
    /// `APIVersions` / `APIGroupList` as plain JSON.
    case legacy

    /// The `Content-Type` of an aggregated discovery reply; client-go picks its decoder by it.
    public static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// The first format in `accept` (in the client's order, skipping `q=0`) that the server
    /// can produce; `.legacy` when there is no header, nil when nothing offered is servable.
    public static func negotiate(accept: String?) -> DiscoveryFormat? {
        guard let accept, !accept.allSatisfy({ $0 == " " }) else { return .legacy }
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingSpaces() }
            guard let type = parts.first?.lowercased(), !type.isEmpty else { continue }
            var params: [String: String] = [:]
            for p in parts.dropFirst() {
                guard let eq = p.firstIndex(of: "=") else { continue }
                let key = p[..<eq].trimmingSpaces().lowercased()
                var value = p[p.index(after: eq)...].trimmingSpaces()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                params[key] = value
            }
            if let q = params["q"], let qv = Double(q), qv <= 0 { continue }
            guard type == "application/json" || type == "application/*" || type == "*/*" else { continue }
            switch (params["g"], params["v"], params["as"]) {
            case (nil, nil, nil):
                return .legacy
            case ("apidiscovery.k8s.io", "v2", "APIGroupDiscoveryList"):
                return .aggregated
            default:
                continue
            }
        }
        return nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
