await GatewayBenchmark.run(Array(CommandLine.arguments.dropFirst()))
