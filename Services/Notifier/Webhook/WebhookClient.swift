import AsyncHTTPClient
import Egress

/// The HTTP client of one webhook POST. It connects to the address the destination check
/// approved, not to whatever the host name resolves to a moment later (TLS still verifies the
/// certificate for the host name, which is also the SNI and `Host`), and follows no redirect: a
/// webhook that moved is a failure to fix, not a POST to re-send elsewhere. The caller shuts it
/// down after the POST.
enum WebhookClient {
    static func make(for destination: WebhookDestination) -> HTTPClient {
        var settings = HTTPClient.Configuration(redirectConfiguration: .disallow)
        settings.timeout = .init(connect: .seconds(5))
        if !destination.isAddressLiteral {
            settings.dnsOverride = [destination.host: destination.connectAddress.description]
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: settings)
    }
}
