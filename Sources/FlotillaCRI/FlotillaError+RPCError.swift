import FlotillaCore
import GRPCCore

extension FlotillaError {
    /// A failed CRI call, with the gRPC status mapped onto the closest code (a missing sandbox,
    /// container or image is `notFound`, a runtime that does not answer `serviceUnavailable`, a
    /// call past its deadline `timeout`) and the runtime's own words in the message.
    init(_ error: RPCError, call: String) {
        self.init(Self.code(for: error.code), "CRI \(call): \(error.message)")
    }

    private static func code(for code: RPCError.Code) -> Code {
        switch code {
        case .notFound: return .notFound
        case .alreadyExists: return .alreadyExists
        case .invalidArgument, .outOfRange, .failedPrecondition: return .badRequest
        case .deadlineExceeded: return .timeout
        case .unavailable: return .serviceUnavailable
        case .permissionDenied: return .forbidden
        case .unauthenticated: return .unauthorized
        case .resourceExhausted: return .tooManyRequests
        case .aborted: return .conflict
        default: return .internalError
        }
    }
}
