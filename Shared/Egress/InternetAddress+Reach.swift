/// Which addresses a webhook may reach: only globally routable unicast. Everything a service
/// inside the network could answer on is refused: loopback, link-local (the cloud metadata
/// service at 169.254.169.254 among them), private (RFC 1918, CGNAT, unique local), multicast,
/// broadcast, unspecified, documentation and reserved ranges, and IPv6 forms that carry an IPv4
/// address (mapped, NAT64, 6to4, Teredo).
extension InternetAddress {
    /// Why the address is not globally reachable (`"loopback (127.0.0.0/8)"`); nil when it is.
    public var nonPublicRange: String? {
        switch self {
        case .v4(let value): Self.v4Range(value)
        case .v6(let bytes): Self.v6Range(bytes)
        }
    }

    private static let v4Ranges: [(base: UInt32, prefix: UInt32, name: String)] = [
        (0xA9FE_A9FE, 32, "cloud metadata service (169.254.169.254)"),
        (0xFFFF_FFFF, 32, "broadcast (255.255.255.255)"),
        (0x0000_0000, 8, "\"this network\" (0.0.0.0/8)"),
        (0x0A00_0000, 8, "private (RFC 1918, 10.0.0.0/8)"),
        (0x6440_0000, 10, "shared address space / carrier-grade NAT (100.64.0.0/10)"),
        (0x7F00_0000, 8, "loopback (127.0.0.0/8)"),
        (0xA9FE_0000, 16, "link-local (169.254.0.0/16)"),
        (0xAC10_0000, 12, "private (RFC 1918, 172.16.0.0/12)"),
        (0xC000_0000, 24, "IETF protocol assignments (192.0.0.0/24)"),
        (0xC000_0200, 24, "documentation (192.0.2.0/24)"),
        (0xC058_6300, 24, "6to4 relay anycast (192.88.99.0/24)"),
        (0xC0A8_0000, 16, "private (RFC 1918, 192.168.0.0/16)"),
        (0xC612_0000, 15, "benchmarking (198.18.0.0/15)"),
        (0xC633_6400, 24, "documentation (198.51.100.0/24)"),
        (0xCB00_7100, 24, "documentation (203.0.113.0/24)"),
        (0xE000_0000, 4, "multicast (224.0.0.0/4)"),
        (0xF000_0000, 4, "reserved (240.0.0.0/4)"),
    ]

    private static func v4Range(_ value: UInt32) -> String? {
        v4Ranges.first { range in
            let mask: UInt32 = range.prefix == 0 ? 0 : ~UInt32(0) << (32 - range.prefix)
            return value & mask == range.base
        }?.name
    }

    private static func v6Range(_ bytes: [UInt8]) -> String? {
        let embedded = UInt32(bytes[12]) << 24 | UInt32(bytes[13]) << 16 | UInt32(bytes[14]) << 8 | UInt32(bytes[15])
        if bytes[0..<15].allSatisfy({ $0 == 0 }) {
            return bytes[15] == 1 ? "loopback (::1)" : (bytes[15] == 0 ? "unspecified (::)" : "IPv4-compatible (::/96)")
        }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            return "IPv4-mapped (::ffff:0:0/96) of "
                + (v4Range(embedded) ?? "a public IPv4 address; use the IPv4 address itself")
        }
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return "IPv4-compatible (::/96)" }
        if bytes[0] == 0xFD, bytes[1] == 0x00, bytes[2] == 0x0E, bytes[3] == 0xC2,
            bytes[4..<14].allSatisfy({ $0 == 0 }), bytes[14] == 0x02, bytes[15] == 0x54
        {
            return "cloud metadata service (fd00:ec2::254)"
        }
        switch bytes[0] {
        case 0xFF: return "multicast (ff00::/8)"
        case 0xFC, 0xFD: return "unique local (fc00::/7)"
        case 0xFE where bytes[1] & 0xC0 == 0x80: return "link-local (fe80::/10)"
        case 0xFE where bytes[1] & 0xC0 == 0xC0: return "site-local (fec0::/10)"
        default: break
        }
        if bytes[0] == 0x00, bytes[1] == 0x64, bytes[2] == 0xFF, bytes[3] == 0x9B { return "NAT64 (64:ff9b::/96)" }
        guard bytes[0] & 0xE0 == 0x20 else { return "not global unicast (outside 2000::/3)" }
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0x0D, bytes[3] == 0xB8 {
            return "documentation (2001:db8::/32)"
        }
        if bytes[0] == 0x3F, bytes[1] == 0xFF, bytes[2] & 0xF0 == 0 { return "documentation (3fff::/20)" }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return "6to4 (2002::/16)" }
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] & 0xFE == 0 {
            return "IETF protocol assignments, Teredo among them (2001::/23)"
        }
        return nil
    }
}
