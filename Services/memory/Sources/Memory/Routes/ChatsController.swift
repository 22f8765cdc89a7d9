import ApexProtocol
import Hummingbird
import ServiceKit

/// `/api/v1/chats` and their messages.
struct ChatsController: Sendable {
    let store: any ChatStore

    var endpoints: RouteCollection<ApexRequestContext> {
        let routes = RouteCollection(context: ApexRequestContext.self)
        routes.post("/api/v1/chats", use: create)
        routes.get("/api/v1/chats", use: list)
        routes.get("/api/v1/chats/:id", use: get)
        routes.patch("/api/v1/chats/:id", use: update)
        routes.delete("/api/v1/chats/:id", use: delete)
        routes.post("/api/v1/chats/:id/messages", use: addMessage)
        routes.get("/api/v1/chats/:id/messages", use: messages)
        return routes
    }

    @Sendable func create(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<Chat> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateChatRequest.self, context: context)
        let id = body.id ?? UUIDv7.string()
        guard let chat = try await store.create(body, id: id, userID: userID) else {
            throw APIError(.conflict, "a chat with id \(id) already exists")
        }
        return EditedResponse(status: .created, response: chat)
    }

    @Sendable func list(_ request: Request, context: ApexRequestContext) async throws -> Page<Chat> {
        let userID = try context.userID()
        let (limit, cursor) = try request.listQuery(for: PostgresChatStore.chatList)
        return try await store.list(
            userID: userID, targetType: request.filter("target_type"), targetID: request.filter("target_id"), limit: limit,
            after: cursor)
    }

    @Sendable func get(_ request: Request, context: ApexRequestContext) async throws -> Chat {
        let userID = try context.userID()
        guard let chat = try await store.get(id: try Self.id(context), userID: userID) else { throw APIError.notFound("chat") }
        return chat
    }

    @Sendable func update(_ request: Request, context: ApexRequestContext) async throws -> Chat {
        let userID = try context.userID()
        let body = try await request.decode(as: UpdateChatRequest.self, context: context)
        guard let chat = try await store.update(id: try Self.id(context), userID: userID, changes: body) else {
            throw APIError.notFound("chat")
        }
        return chat
    }

    @Sendable func delete(_ request: Request, context: ApexRequestContext) async throws -> Response {
        let userID = try context.userID()
        guard try await store.delete(id: try Self.id(context), userID: userID) else { throw APIError.notFound("chat") }
        return Response(status: .noContent)
    }

    @Sendable func addMessage(_ request: Request, context: ApexRequestContext) async throws -> EditedResponse<Message> {
        let userID = try context.userID()
        let body = try await request.decode(as: CreateMessageRequest.self, context: context)
        guard let message = try await store.addMessage(body, chatID: try Self.id(context), userID: userID) else {
            throw APIError.notFound("chat")
        }
        return EditedResponse(status: .created, response: message)
    }

    @Sendable func messages(_ request: Request, context: ApexRequestContext) async throws -> Page<Message> {
        let userID = try context.userID()
        let (limit, cursor) = try request.listQuery(for: PostgresChatStore.messageList)
        guard let page = try await store.messages(chatID: try Self.id(context), userID: userID, limit: limit, after: cursor) else {
            throw APIError.notFound("chat")
        }
        return page
    }

    /// An id outside `[A-Za-z0-9_.:-]{1,128}` cannot name a chat: 404.
    private static func id(_ context: ApexRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), TokenPattern.clientID.matches(id) else { throw APIError.notFound("chat") }
        return id
    }
}
