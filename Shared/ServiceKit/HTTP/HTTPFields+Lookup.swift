public import HTTPTypes

extension HTTPFields {
    /// The value `self[name]` gives, without its cost in the usual case of one field.
    ///
    /// The subscript joins the values of every field with that name into a new string, even when
    /// there is only one: an allocation for each of the six headers read per request, about 3 %
    /// of a small request's CPU on the server (`perf`, Benchmarks/Foundation/README.md, session
    /// 9). Several fields with the name are still joined with ", " as the subscript does, so a
    /// repeated `Content-Length` or identity token still fails to parse instead of one being
    /// picked. Not for `Cookie`, which the subscript joins with "; ".
    public func value(of name: HTTPField.Name) -> String? {
        var first: String?
        for field in self where field.name == name {
            guard first == nil else { return self[name] }
            first = field.value
        }
        return first
    }
}

extension HTTPFields {
    /// Sets `name` to `value` in a field that HPACK should not add to its dynamic table.
    ///
    /// For a value unique to one request (its `X-Request-ID`, its `traceparent`): in the table it
    /// would only push out the entries that do repeat (content type, server name, the identity
    /// token) and lengthen every lookup in the table, for every header of every later message on
    /// the connection.
    public mutating func setUnindexed(_ name: HTTPField.Name, _ value: String) {
        var field = HTTPField(name: name, value: value)
        field.indexingStrategy = .avoid
        if contains(name) { self[name] = nil }
        append(field)
    }
}
