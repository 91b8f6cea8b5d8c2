import Foundation

/// Runs blocking `work` (a child process, a wait, a socket read) on a thread of its own and
/// awaits it: Swift's cooperative pool has as many threads as cores, and every test running
/// meanwhile needs them.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
