import ApexProtocol

/// The OpenAPI 3.1 document of the public API, generated from `APIEndpoints` — the same table
/// the gateway routes with — so the document cannot drift from what is served (a test checks
/// both directions).
enum OpenAPIDocument {
    static func make(serverURL: String? = nil) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for endpoint in APIEndpoints.all + APIEndpoints.operational {
            var operations = paths[endpoint.path]?.objectValue ?? [:]
            let isAPI = endpoint.path.hasPrefix("/api/v1/")
            var operation: [String: JSONValue] = [
                "operationId": .string(operationID(endpoint)),
                "summary": .string(endpoint.summary),
                "tags": .array([.string(endpoint.service.rawValue)]),
                "responses": .object([
                    "2XX": .object(["description": "Success (application/json)"]),
                    "default": .object([
                        "description": "Problem details (RFC 9457)",
                        "content": .object([
                            "application/problem+json": .object(["schema": .object(["$ref": "#/components/schemas/Problem"])])
                        ]),
                    ]),
                ]),
            ]
            let parameters = endpoint.parameterNames.map { name -> JSONValue in
                .object(["name": .string(name), "in": "path", "required": true, "schema": .object(["type": "string"])])
            }
            if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
            if isAPI { operation["security"] = .array([.object(["firebase": .array([])])]) } else { operation["security"] = .array([]) }
            if [.post, .put, .patch].contains(endpoint.method) {
                let mediaTypes: [String] =
                    endpoint.method == .patch && endpoint.path.contains("preferences")
                    ? ["application/merge-patch+json", "application/json"] : ["application/json"]
                var content: [String: JSONValue] = [:]
                for mediaType in mediaTypes { content[mediaType] = .object(["schema": .object(["type": "object"])]) }
                operation["requestBody"] = .object([
                    "required": .bool(endpoint.path != "/api/v1/memories/scan"), "content": .object(content),
                ])
            }
            operations[endpoint.method.rawValue.lowercased()] = .object(operation)
            paths[endpoint.path] = .object(operations)
        }
        var document: [String: JSONValue] = [
            "openapi": "3.1.0",
            "info": .object([
                "title": "ApexFlow API", "version": "1.0.0",
                "description": "Documents and search, long-term memory, jobs, tasks and the inbox of an AI-agent platform.",
            ]),
            "paths": .object(paths),
            "components": .object([
                "securitySchemes": .object([
                    "firebase": .object(["type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "Firebase ID token"])
                ]),
                "schemas": .object([
                    "Problem": .object([
                        "type": "object",
                        "required": .array(["type", "title", "status", "code"]),
                        "properties": .object([
                            "type": .object(["type": "string"]), "title": .object(["type": "string"]),
                            "status": .object(["type": "integer"]), "detail": .object(["type": "string"]),
                            "code": .object(["type": "string", "enum": .array(ProblemCode.allCases.map { .string($0.rawValue) })]),
                            "trace_id": .object(["type": "string"]),
                            "errors": .object([
                                "type": "array",
                                "items": .object([
                                    "type": "object",
                                    "properties": .object(["field": .object(["type": "string"]), "message": .object(["type": "string"])]),
                                ]),
                            ]),
                        ]),
                    ])
                ]),
            ]),
        ]
        if let serverURL { document["servers"] = .array([.object(["url": .string(serverURL)])]) }
        return .object(document)
    }

    static func operationID(_ endpoint: Endpoint) -> String {
        let words = endpoint.path.split(separator: "/").filter { $0 != "api" && $0 != "v1" }
            .map { $0.hasPrefix("{") ? "By" + $0.dropFirst().dropLast().capitalized : $0.split(separator: "_").map(\.capitalized).joined() }
        return endpoint.method.rawValue.lowercased() + words.joined().replacingOccurrences(of: ".", with: "")
    }
}
