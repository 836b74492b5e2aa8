import JWTKit

/// The claims of an acting-user token. Every time claim is checked by `ActingUserVerifier`
/// (with the tenant's settings and a clock), not here, so that each failure gets its own message;
/// `iat` and `aud` are optional here only so that their absence is reported as such.
struct ActingUserClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim?
    var aud: AudienceClaim?
    var iat: IssuedAtClaim?
    var nbf: NotBeforeClaim?

    init(
        sub: SubjectClaim, exp: ExpirationClaim, iss: IssuerClaim?, aud: AudienceClaim?,
        iat: IssuedAtClaim? = nil, nbf: NotBeforeClaim? = nil
    ) {
        self.sub = sub
        self.exp = exp
        self.iss = iss
        self.aud = aud
        self.iat = iat
        self.nbf = nbf
    }

    /// Nothing: the signature is all JWTKit checks (see `ActingUserVerifier.check`).
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
