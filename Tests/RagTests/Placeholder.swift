import Testing
@Test func placeholderRagTests() {}
