import FlotillaCore

/// Addresses for hollow nodes and their pods, from 198.18.0.0/15 (RFC 2544's range for
/// benchmarks), so they are never mistaken for real hosts: nodes in 198.18.0.0/16, pods in
/// 198.19.0.0/16. Nothing is ever sent to them.
public enum SimulatedAddresses {
    /// The InternalIP of hollow node `index` (wraps after 65,536 nodes).
    public static func node(_ index: Int) -> String {
        "198.18.\((index >> 8) & 0xff).\(index & 0xff)"
    }

    /// The pod IP number `serial` (wraps after 65,536 pods).
    public static func pod(_ serial: Int) -> String {
        "198.19.\((serial >> 8) & 0xff).\(serial & 0xff)"
    }
}
