import Crypto
import Foundation

@testable import ServiceKit

/// Signs arbitrary JWT input with HS256, to forge tokens the minting API would never produce.
enum HMACSigner {
    static func sign(_ input: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Base64URL.encode(Data(mac))
    }
}
