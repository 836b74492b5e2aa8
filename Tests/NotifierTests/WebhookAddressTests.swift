import Egress
import Testing

/// The address rules of webhook destinations, table-driven: each row a URL and the range it is
/// refused for (or nil: accepted). Literal addresses need no DNS; the numeric spellings
/// (`2130706433`, `0x7f.1`) go through the system resolver, as the HTTP client's would.
@Suite("Webhook destination rules: schemes and address ranges")
struct WebhookAddressTests {
    static let production = WebhookRules()

    static let cases: [(url: String, refusedFor: String?)] = [
        ("https://127.0.0.1/", "loopback (127.0.0.0/8)"),
        ("https://127.1/", "loopback"),
        ("https://2130706433/", "loopback"),
        ("https://0x7f.1/", "loopback"),
        ("https://0.0.0.0/", "\"this network\""),
        ("https://10.0.0.1/", "private (RFC 1918, 10.0.0.0/8)"),
        ("https://172.16.5.4/", "private (RFC 1918, 172.16.0.0/12)"),
        ("https://192.168.1.1:8443/x", "private (RFC 1918, 192.168.0.0/16)"),
        ("https://100.64.0.1/", "carrier-grade NAT"),
        ("https://100.100.100.200/", "carrier-grade NAT"),
        ("https://169.254.169.254/latest/meta-data/", "cloud metadata service (169.254.169.254)"),
        ("https://169.254.1.1/", "link-local (169.254.0.0/16)"),
        ("https://224.0.0.1/", "multicast"),
        ("https://255.255.255.255/", "broadcast"),
        ("https://192.0.2.10/", "documentation"),
        ("https://[::1]/", "loopback (::1)"),
        ("https://[::]/", "unspecified"),
        ("https://[fe80::1]/", "link-local (fe80::/10)"),
        ("https://[fc00::1]/", "unique local (fc00::/7)"),
        ("https://[fd00:ec2::254]/", "cloud metadata service (fd00:ec2::254)"),
        ("https://[ff02::1]/", "multicast"),
        ("https://[::ffff:127.0.0.1]/", "IPv4-mapped (::ffff:0:0/96) of loopback"),
        ("https://[::ffff:169.254.169.254]/", "IPv4-mapped (::ffff:0:0/96) of cloud metadata"),
        ("https://[64:ff9b::a9fe:a9fe]/", "NAT64"),
        ("https://[2002:7f00:1::]/", "6to4"),
        ("https://[2001:db8::1]/", "documentation"),
        ("https://8.8.8.8/hooks", nil),
        ("https://[2606:4700:4700::1111]/hooks", nil),
    ]

    @Test("every internal range is refused with its name; public addresses pass", arguments: cases)
    func ranges(url: String, refusedFor: String?) async {
        switch await WebhookDestination.checked(url, rules: Self.production) {
        case .success(let destination):
            #expect(refusedFor == nil, "\(url) passed as \(destination.addresses)")
        case .failure(let error):
            #expect(error.isPermanent, "\(url): \(error.reason)")
            #expect(refusedFor.map { error.reason.contains($0) } == true, "\(url): \(error.reason)")
        }
    }

    @Test("schemes: https only; http with FWA_WEBHOOK_ALLOW_HTTP=1; never another scheme or a URL without host")
    func schemes() async throws {
        for url in [
            "http://8.8.8.8/", "ftp://8.8.8.8/", "file:///etc/passwd", "http+unix://%2Ftmp%2Fsock/", "https:///x",
            "https://exa mple.com/", "8.8.8.8",
        ] {
            guard case .failure(let refusal) = await WebhookDestination.checked(url, rules: Self.production) else {
                Issue.record("\(url) passed")
                continue
            }
            #expect(refusal.isPermanent, "\(url): \(refusal.reason)")
        }
        let http = try await WebhookDestination.check("http://8.8.8.8/", rules: WebhookRules(allowsHTTP: true))
        #expect(http.connectAddress.description == "8.8.8.8" && http.isAddressLiteral)
        let local = try await WebhookDestination.check(
            "http://localhost:9/", rules: WebhookRules(allowsHTTP: true, allowsPrivateAddresses: true))
        #expect(local.host == "localhost" && !local.isAddressLiteral && local.connectAddress.description == "127.0.0.1")
    }

    @Test("a host that does not resolve is refused (not permanently: the notifier retries it)")
    func unresolvable() async {
        guard
            case .failure(let refusal) = await WebhookDestination.checked(
                "https://no-such-host.invalid/hook", rules: Self.production)
        else {
            Issue.record("an unresolvable host passed")
            return
        }
        #expect(!refusal.isPermanent && refusal.reason.contains("does not resolve"), "\(refusal.reason)")
    }

    @Test("the settings: unset or 0 refuse, 1 allows, anything else names the variable")
    func settings() throws {
        #expect(try WebhookRules.read([:]) == WebhookRules())
        #expect(
            try WebhookRules.read(["FWA_WEBHOOK_ALLOW_HTTP": "1", "FWA_WEBHOOK_ALLOW_PRIVATE": "0"])
                == WebhookRules(allowsHTTP: true))
        #expect(try WebhookRules.read(["FWA_WEBHOOK_ALLOW_PRIVATE": "1"]) == WebhookRules(allowsPrivateAddresses: true))
        #expect(throws: WebhookRules.Problem.self) { try WebhookRules.read(["FWA_WEBHOOK_ALLOW_PRIVATE": "yes"]) }
        do {
            _ = try WebhookRules.read(["FWA_WEBHOOK_ALLOW_HTTP": "true"])
            Issue.record("\"true\" was accepted")
        } catch {
            #expect(error.description.hasPrefix("FWA_WEBHOOK_ALLOW_HTTP: "))
        }
    }
}
