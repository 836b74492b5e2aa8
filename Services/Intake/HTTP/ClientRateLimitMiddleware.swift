import Hummingbird

/// The per-client-address rate limit (`FWA_RATE_LIMIT_PER_CLIENT`), applied before anything
/// else looks at the request (authentication included, so a flood of bad credentials is refused
/// without touching the database): `429 rate-limited` with `Retry-After`. Health and metrics
/// routes, polled by the platform, are not limited. Behind a proxy the proxy's address is the
/// client; size the limit for it.
struct ClientRateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter

    static var unlimitedRoutes: Set<String> { ["/healthz", "/readyz", "/metrics"] }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard !limiter.rate.isOff, !Self.unlimitedRoutes.contains(context.endpointPath ?? "") else {
            return try await next(request, context)
        }
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        if case .limited(let seconds) = limiter.take(client) {
            throw APIProblem(
                .rateLimited,
                "Too many requests from this client address (more than \(limiter.rate.perSecond) a second); retry after \(seconds) s.",
                retryAfter: seconds)
        }
        return try await next(request, context)
    }
}
