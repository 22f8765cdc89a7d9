await RagBenchmark.main()
