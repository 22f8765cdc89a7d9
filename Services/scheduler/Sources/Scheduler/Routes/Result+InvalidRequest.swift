import ApexProtocol
import ServiceKit

extension Result where Failure == ValidationFailure {
    /// The value, or a 400 listing every fault.
    func orInvalidRequest() throws -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let failure): throw APIError.invalid(failure.errors)
        }
    }
}
