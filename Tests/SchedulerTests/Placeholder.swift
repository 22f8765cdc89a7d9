import Testing
@Test func placeholderSchedulerTests() {}
