import Testing

@testable import Gateway

/// Reading the token out of an `Authorization` header.
@Suite("Bearer credentials")
struct BearerCredentialsTests {
    @Test(arguments: [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        ("BeArEr abc", "abc"),
        ("Bearer   abc  ", "abc"),
        ("Bearer \tabc\t", "abc"),
        ("Bearer a b", "a b"),
    ])
    func theTokenIsReadWithoutTheSchemeAndTheWhitespaceAroundIt(header: String, token: String) {
        #expect(BearerCredentials.token(in: header) == token)
    }

    @Test(arguments: [
        "", "Bearer", "Bearer ", "Bearer    ", "Bearer \t", "Bearerabc", "Basic abc", "Bearer:abc", "Bearex abc", " Bearer abc",
        "Béarer abc", "Bearer\u{0}abc",
    ])
    func anythingElseIsNoToken(header: String) {
        #expect(BearerCredentials.token(in: header) == nil)
    }
}
