await ServiceClientBenchmark.main(arguments: Array(CommandLine.arguments.dropFirst()))
