/// The HTTP methods the API uses. Kept here (rather than importing an HTTP library) because
/// the contract module depends on Foundation only.
public enum HTTPMethodName: String, ContractEnum, Comparable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case patch = "PATCH"
    case delete = "DELETE"

    /// Orders methods as they are conventionally listed (GET, POST, PUT, PATCH, DELETE), so an
    /// `Allow` header built from a set reads the same every time.
    public static func < (lhs: HTTPMethodName, rhs: HTTPMethodName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
