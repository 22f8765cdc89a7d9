/// A coding key made up by the JSON coders: an array index in a coding path, or `super`.
///
/// An index key spells its `stringValue` only when asked: the coders make one per array element
/// they visit, and only an error's path ever reads it.
struct JSONCodingKey: CodingKey {
    private let name: String
    let intValue: Int?

    init(string: String) {
        name = string
        intValue = nil
    }

    init(index: Int) {
        name = ""
        intValue = index
    }

    var stringValue: String { intValue.map { "Index \($0)" } ?? name }

    init?(stringValue: String) { self.init(string: stringValue) }
    init?(intValue: Int) { self.init(index: intValue) }
}
