public import Hummingbird

extension Request {
    /// The path a middleware must classify this request by: the template of the route the router
    /// matched (`/internal/retention`, `/api/v1/**`), or the path as sent when none matched.
    ///
    /// The two differ for a path with empty segments: the router skips them, so
    /// `//internal/retention` reaches the `/internal/retention` route, and a check on the path as
    /// sent (`hasPrefix("/internal/")`) would let it through unchecked.
    public func routedPath(in context: some RequestContext) -> String {
        context.endpointPath ?? uri.path
    }
}
