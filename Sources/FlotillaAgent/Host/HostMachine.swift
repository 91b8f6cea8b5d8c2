import Foundation

/// The machine the agent runs on, as `uname -m` names it (`x86_64`, `aarch64`).
enum HostMachine {
    static var name: String {
        var info = utsname()
        uname(&info)
        return withUnsafeBytes(of: &info.machine) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }
}
