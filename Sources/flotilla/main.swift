import FlotillaCommands
await FlotillaCommand.main()
