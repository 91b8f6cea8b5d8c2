import FlotillaCommands

await FlotillaCommand.runFromCommandLine()
