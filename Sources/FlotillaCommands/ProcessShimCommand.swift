import ArgumentParser
import FlotillaAgent
import Foundation

/// `flotilla process-shim start|supervise|enter DIR [-- COMMAND…]` (hidden): the processes that
/// run a container of the agent's process runtime (see ``ProcessShim``); the agent starts them.
struct ProcessShimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process-shim", abstract: "Run a container of the process runtime (started by the agent).", shouldDisplay: false)

    @Argument(help: "start, supervise or enter.")
    var action: String

    @Argument(help: "The container's directory.")
    var directory: String

    @Argument(parsing: .postTerminator, help: "With enter: a command to run in the container instead of its own.")
    var command: [String] = []

    func validate() throws {
        guard ["start", "supervise", "enter"].contains(action) else {
            throw ValidationError("the action must be start, supervise or enter; got \(action)")
        }
    }

    func run() throws {
        switch action {
        case "start":
            do {
                try ProcessShim.start(directory)
            } catch {
                FileHandle.standardError.write(Data("\(error)\n".utf8))
                throw ExitCode.failure
            }
        case "supervise":
            ProcessShim.supervise(directory)
        default:
            let exec = !command.isEmpty
            let failure = ProcessShim.enter(directory, command: exec ? command : nil, status: exec ? nil : 3)
            FileHandle.standardError.write(Data("\(failure)\n".utf8))
            throw ExitCode(exec ? 126 : 127)
        }
    }
}
