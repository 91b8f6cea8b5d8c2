/// A command that cannot do its work; ArgumentParser prints the message as `Error: …` and exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
