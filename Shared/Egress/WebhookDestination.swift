import Foundation

/// A webhook URL that passed the operator's rules, with the addresses its host resolved to when
/// checked. The notifier connects to `connectAddress` (not to whatever the name resolves to a
/// moment later), so a name that changes its answer between check and connection cannot lead
/// the POST to an address that was not checked.
public struct WebhookDestination: Sendable, Equatable {
    /// The host as the HTTP client reads it from the URL (`hooks.example.edu`, `203.0.113.9`),
    /// without IPv6 brackets.
    public var host: String
    /// True when the URL names an address rather than a host name.
    public var isAddressLiteral: Bool
    /// Every address checked; all of them passed.
    public var addresses: [InternetAddress]

    /// The address to connect to: the first IPv4 address checked, else the first one (one address
    /// only, so that the connection cannot go anywhere unchecked; IPv4 first because a receiver
    /// that resolves to both is reachable over IPv4 from every network, and loopback receivers in
    /// development often listen on 127.0.0.1 only).
    public var connectAddress: InternetAddress {
        addresses.first { if case .v4 = $0 { true } else { false } } ?? addresses[0]
    }

    /// Checks `text` against `rules`: an absolute `https` URL (or `http` when allowed) with a host,
    /// and every address the host resolves to public (unless private addresses are allowed).
    /// A host that does not resolve is refused too: what cannot be checked is not accepted.
    public static func check(_ text: String, rules: WebhookRules) async throws(WebhookRefusal) -> WebhookDestination {
        try await checked(text, rules: rules).get()
    }

    /// `check`'s outcome as a value.
    public static func checked(_ text: String, rules: WebhookRules) async -> Result<WebhookDestination, WebhookRefusal>
    {
        do {
            return .success(try await resolveAndCheck(text, rules: rules))
        } catch {
            return .failure(error)
        }
    }

    private static func resolveAndCheck(_ text: String, rules: WebhookRules) async throws(WebhookRefusal)
        -> WebhookDestination
    {
        let host = try hostToCheck(text, rules: rules)
        if let literal = InternetAddress(host) {
            try require([literal], host: host, rules: rules)
            return WebhookDestination(host: host, isAddressLiteral: true, addresses: [literal])
        }
        switch await HostResolver.addresses(of: host) {
        case .failure(let failure):
            throw WebhookRefusal(
                isPermanent: false,
                reason:
                    "the host \(host) does not resolve (\(failure.message)); a webhook must name a host whose addresses can be checked"
            )
        case .success(let addresses):
            try require(addresses, host: host, rules: rules)
            return WebhookDestination(host: host, isAddressLiteral: false, addresses: addresses)
        }
    }

    /// The scheme and syntax checks, read as the HTTP client reads the URL (Foundation's `URL`,
    /// IPv6 brackets dropped); returns the host.
    static func hostToCheck(_ text: String, rules: WebhookRules) throws(WebhookRefusal) -> String {
        func refuse(_ reason: String) -> WebhookRefusal { WebhookRefusal(isPermanent: true, reason: reason) }
        guard text.utf8.count <= 2000, !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
            let url = URL(string: text), let scheme = url.scheme?.lowercased()
        else { throw refuse("not an absolute URL without spaces or control characters (at most 2000 bytes)") }
        switch scheme {
        case "https": break
        case "http" where rules.allowsHTTP: break
        case "http":
            throw refuse(
                "plain http is refused: use https (\(WebhookRules.httpVariable)=1 allows http for development)")
        default: throw refuse("the scheme must be https, got \"\(scheme.prefix(20))\"")
        }
        guard var host = url.host, !host.isEmpty else { throw refuse("the URL has no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host
    }

    private static func require(_ addresses: [InternetAddress], host: String, rules: WebhookRules)
        throws(WebhookRefusal)
    {
        guard !rules.allowsPrivateAddresses else { return }
        for address in addresses {
            guard let range = address.nonPublicRange else { continue }
            let resolved = InternetAddress(host) == nil ? "\(host) resolves to \(address), which is" : "\(address) is"
            throw WebhookRefusal(
                isPermanent: true,
                reason:
                    "\(resolved) \(range): webhooks go to public addresses only (\(WebhookRules.privateVariable)=1 allows private ones for development)"
            )
        }
    }
}
