import HTTPTypes
import Logging
import NIOCore

extension ApexResponder {
    /// Offers `request` to the shortcut; true when it took the request, whose answer is then
    /// handed to `write` on `eventLoop` (the connection's or stream's) when it comes.
    func answerByShortcut(
        _ request: HTTPRequest, httpVersion: String, on eventLoop: any EventLoop,
        write: @escaping @Sendable (HTTPResponse, ByteBuffer) -> Void
    ) -> Bool {
        guard let shortcut, !TraceExport.isEnabled else { return false }
        let start = ContinuousClock.now
        let requestID = RequestID.accept(request.headerFields.value(of: .xRequestID))
        let trace = TraceContext.continuing(request.headerFields.value(of: .traceParent))
        let method = request.method.rawValue
        let (logger, metrics, serverName) = (self.logger, self.metrics, self.serverName)
        return shortcut.answer(request, requestID: requestID, trace: trace, logger: logger, on: eventLoop) { answer in
            var head = answer.head
            head.headerFields.setUnindexed(.xRequestID, requestID)
            Self.stamp(&head.headerFields, serverName: serverName)
            write(head, answer.body)
            let elapsed = ContinuousClock.now - start
            metrics?.recordRequest(
                route: answer.route, method: method, status: head.status.code, httpVersion: httpVersion, duration: elapsed)
            let level: Logger.Level = head.status.code >= 500 ? .error : .info
            guard logger.logLevel <= level else { return }
            var requestLogger = logger
            requestLogger[metadataKey: "request_id"] = .string(requestID)
            requestLogger[metadataKey: "trace_id"] = .string(trace.traceID)
            if let userID = answer.userID { requestLogger[metadataKey: "user_id"] = .string(userID) }
            RequestTracingMiddleware.writeAccessLog(
                logger: requestLogger, method: method, route: answer.route, status: head.status.code, httpVersion: httpVersion,
                elapsed: elapsed)
        }
    }
}
