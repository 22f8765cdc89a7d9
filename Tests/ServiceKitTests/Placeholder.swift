import Testing
@Test func placeholderServiceKitTests() {}
