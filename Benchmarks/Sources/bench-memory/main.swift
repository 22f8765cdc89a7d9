await MemoryBenchmark.main()
