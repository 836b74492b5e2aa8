import Foundation
import JWTKit

/// Verifies `X-Acting-User` tokens (compact JWS, HS256, RS256 or ES256) against a tenant's
/// identity settings and returns the acting person's email.
enum ActingUserVerifier {
    /// How far in the future `iat` and `nbf` may be (clocks differ a little).
    static let leeway: TimeInterval = 60

    /// The verified email in `sub` (ASCII-lowercased), or the `401` problem saying what is wrong.
    static func verify(_ token: String, identity: TenantIdentity?, now: Date = Date()) async -> Result<
        String, APIProblem
    > {
        guard let identity else {
            return .failure(
                APIProblem(
                    .unauthorized,
                    "X-Acting-User cannot be verified: this tenant has no identity provider configured (PUT /v1/tenants/{tenant}/identity)."
                ))
        }
        for keys in await keyCollections(identity) {
            if let claims = try? await keys.verify(token, as: ActingUserClaims.self) {
                return check(claims, identity: identity, now: now)
            }
        }
        return .failure(
            APIProblem(
                .unauthorized,
                "X-Acting-User is not a token signed by this tenant's identity provider (HS256, RS256 or ES256)."))
    }

    /// The claims' issuer, audience, time window and subject against the tenant's settings.
    static func check(_ claims: ActingUserClaims, identity: TenantIdentity, now: Date) -> Result<String, APIProblem> {
        do throws(APIProblem) {
            try checkParties(claims, identity: identity)
            try checkTimes(claims, maxLifetime: identity.maxTokenLifetimeSeconds, now: now)
            return .success(try subject(claims.sub.value))
        } catch {
            return .failure(error)
        }
    }

    private static func checkParties(_ claims: ActingUserClaims, identity: TenantIdentity) throws(APIProblem) {
        guard claims.iss?.value == identity.issuer else {
            throw refused("was issued by \"\(claims.iss?.value ?? "nobody")\", not by this tenant's issuer")
        }
        guard let audience = identity.audience else {
            throw refused(
                "cannot be verified: this tenant's identity settings name no audience; the operator must set one (PUT /v1/tenants/{tenant}/identity)"
            )
        }
        guard let given = claims.aud?.value, !given.isEmpty else {
            throw refused("carries no audience (aud); it must name \"\(audience)\"")
        }
        guard given.contains(audience) else { throw refused("is not meant for audience \"\(audience)\"") }
    }

    private static func checkTimes(_ claims: ActingUserClaims, maxLifetime: Int, now: Date) throws(APIProblem) {
        guard let issuedAt = claims.iat?.value else { throw refused("carries no issue time (iat)") }
        let expires = claims.exp.value
        guard expires > now else { throw refused("has expired; ask the identity provider for a new token") }
        if let notBefore = claims.nbf?.value, notBefore > now.addingTimeInterval(leeway) {
            throw refused("is not valid yet (nbf is in the future)")
        }
        guard issuedAt <= now.addingTimeInterval(leeway) else { throw refused("was issued in the future (iat)") }
        guard expires.timeIntervalSince(issuedAt) <= Double(maxLifetime) else {
            throw refused("lives longer than this tenant allows (exp - iat over \(maxLifetime) seconds)")
        }
    }

    /// The subject as the identity the intake compares: ASCII only, ASCII-lowercased, an email.
    private static func subject(_ sub: String) throws(APIProblem) -> String {
        guard EmailIdentity.isASCII(sub) else {
            throw refused("has a sub with non-ASCII characters; identities must be ASCII email addresses")
        }
        let email = EmailIdentity.lowercased(sub)
        guard Validator.isEmail(email) else { throw refused("must have the person's email address as sub") }
        return email
    }

    private static func refused(_ what: String) -> APIProblem {
        APIProblem(.unauthorized, "X-Acting-User " + what + ".")
    }

    /// One collection per configured key, so that tokens without a `kid` find their key.
    private static func keyCollections(_ identity: TenantIdentity) async -> [JWTKeyCollection] {
        var collections: [JWTKeyCollection] = []
        if let secret = identity.hs256Secret {
            collections.append(await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256))
        }
        for pem in identity.publicKeysPEM {
            if let rsa = try? Insecure.RSA.PublicKey(pem: pem) {
                collections.append(await JWTKeyCollection().add(rsa: rsa, digestAlgorithm: .sha256))
            } else if let ecdsa = try? ES256PublicKey(pem: pem) {
                collections.append(await JWTKeyCollection().add(ecdsa: ecdsa))
            }
        }
        if let jwks = identity.jwks, let collection = try? await JWTKeyCollection().add(jwksJSON: jwks) {
            collections.append(collection)
        }
        return collections
    }

    /// Whether `pem` is an RSA or P-256 public key this verifier can use.
    static func isUsablePublicKey(_ pem: String) -> Bool {
        (try? Insecure.RSA.PublicKey(pem: pem)) != nil || (try? ES256PublicKey(pem: pem)) != nil
    }

    /// Whether `json` is a JWKS document JWTKit accepts.
    static func isUsableJWKS(_ json: String) async -> Bool {
        (try? await JWTKeyCollection().add(jwksJSON: json)) != nil
    }
}
