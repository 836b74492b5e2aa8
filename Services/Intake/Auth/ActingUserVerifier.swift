import Foundation
import JWTKit

/// The claims of an acting-user token: `sub` is the person's email, `exp` is required.
struct ActingUserClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim?
    var aud: AudienceClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Verifies `X-Acting-User` tokens (compact JWS, HS256, RS256 or ES256) against a tenant's
/// identity settings and returns the acting person's email.
enum ActingUserVerifier {
    /// The verified, lowercased email in `sub`, or the `401` problem saying what is wrong.
    static func verify(_ token: String, identity: TenantIdentity?) async -> Result<String, APIProblem> {
        guard let identity else {
            return .failure(APIProblem(.unauthorized, "X-Acting-User cannot be verified: this tenant has no identity provider configured (PUT /v1/tenants/{tenant}/identity)."))
        }
        var lastError: (any Error)?
        for keys in await keyCollections(identity) {
            do {
                let claims = try await keys.verify(token, as: ActingUserClaims.self)
                return check(claims, identity: identity)
            } catch {
                lastError = error
            }
        }
        if let jwtError = lastError as? JWTError, jwtError.errorType == .claimVerificationFailure {
            return .failure(APIProblem(.unauthorized, "X-Acting-User has expired; ask the identity provider for a new token."))
        }
        return .failure(APIProblem(.unauthorized, "X-Acting-User is not a token signed by this tenant's identity provider (HS256, RS256 or ES256)."))
    }

    private static func check(_ claims: ActingUserClaims, identity: TenantIdentity) -> Result<String, APIProblem> {
        guard claims.iss?.value == identity.issuer else {
            return .failure(APIProblem(.unauthorized, "X-Acting-User was issued by \"\(claims.iss?.value ?? "nobody")\", not by this tenant's issuer."))
        }
        if let audience = identity.audience, claims.aud?.value.contains(audience) != true {
            return .failure(APIProblem(.unauthorized, "X-Acting-User is not meant for audience \"\(audience)\"."))
        }
        let email = claims.sub.value.lowercased()
        guard Validator.isEmail(email) else {
            return .failure(APIProblem(.unauthorized, "X-Acting-User's sub must be the person's email address."))
        }
        return .success(email)
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
