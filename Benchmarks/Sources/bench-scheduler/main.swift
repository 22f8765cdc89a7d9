await SchedulerBenchmark.main()
