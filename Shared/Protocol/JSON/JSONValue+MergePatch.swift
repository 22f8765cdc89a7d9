/// RFC 7396 JSON merge patch, as `PATCH /api/v1/preferences/{hub}` defines it.
///
/// It lives in the contract so every party (the memory service, tests, clients predicting the
/// answer) agrees on one reading: `null` removes a key, objects merge deeply, arrays and
/// scalars replace.
extension JSONValue {
    /// Returns `self` with `patch` applied. A non-object patch replaces the whole value; a patch
    /// object applied to a non-object starts from an empty object.
    public func merging(patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = objectValue ?? [:]
        for (key, patchValue) in patchMembers {
            if patchValue.isNull {
                result.removeValue(forKey: key)
            } else {
                result[key] = (result[key] ?? .null).merging(patch: patchValue)
            }
        }
        return .object(result)
    }
}
