import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// An application that runs more steps before its server binds, after the base application's
/// own (migrations).
///
/// `ServiceCore.makeApplication` answers an opaque `some ApplicationProtocol`, so
/// `beforeServerStarts` cannot be called on it afterwards; this wrapper appends the steps to
/// its `processesRunBeforeServerStart`, which Hummingbird runs in order once the services
/// (the database client) are up and before the server binds. apex-memory needs this to size
/// the embedding column only after the migrations created the table — also when
/// `MIGRATE_ON_START=false`, where the migrations ran in a pre-deploy step instead.
struct ApplicationWithStartupSteps<Base: ApplicationProtocol>: ApplicationProtocol {
    typealias Responder = Base.Responder

    let base: Base
    let steps: [@Sendable () async throws -> Void]

    var responder: Base.Responder {
        get async throws { try await base.responder }
    }
    var server: HTTPServerBuilder { base.server }
    var eventLoopGroup: any EventLoopGroup { base.eventLoopGroup }
    var configuration: ApplicationConfiguration { base.configuration }
    var logger: Logger { base.logger }
    var services: [any Service] { base.services }
    var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { base.processesRunBeforeServerStart + steps }

    @Sendable func onServerRunning(_ channel: any Channel) async {
        await base.onServerRunning(channel)
    }
}
