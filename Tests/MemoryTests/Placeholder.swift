import Testing
@Test func placeholderMemoryTests() {}
