import HTTPTypes
import Instrumentation

/// Reads W3C trace headers from a request's fields for the tracer.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { carrier[$0] }
    }
}

/// Collects the headers the tracer would send, to read this span's `traceparent` back.
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}
