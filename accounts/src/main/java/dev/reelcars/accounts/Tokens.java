package dev.reelcars.accounts;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * Signed bearer tokens (JWS, HMAC-SHA256 over a secret from configuration). Any instance of any service that holds
 * the secret verifies a token on its own, and a restart signs nobody out. A token names the account, its kind and
 * an id; what the account may do is read from the accounts topic at every request, so a role taken away, a
 * disabled account or a revoked API token takes effect at once (see {@link Authenticator}).
 */
public final class Tokens {
    /** The issuer and audience every reelcars token carries, so a token of another system with the same key fails. */
    static final String ISSUER = "reelcars";

    /** A session of the page (cookie, expires) or an API token for scripts (revocable, no expiry). */
    public enum Kind { SESSION, API }

    /** What a verified token says. */
    public record Claims(String name, Kind kind, String id, Instant issuedAt) {
    }

    private final byte[] secret;

    public Tokens(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes (256 bits)");
        }
        this.secret = secret.clone();
    }

    public String issue(String name, Kind kind, Instant issuedAt, Instant expires) {
        return issue(name, kind, UUID.randomUUID().toString(), issuedAt, expires);
    }

    public String issue(String name, Kind kind, String id, Instant issuedAt, Instant expires) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(ISSUER)
                .subject(name)
                .jwtID(id)
                .issueTime(Date.from(issuedAt))
                .claim("kind", kind.name().toLowerCase())
                // "iat" has whole seconds; a password reset within the same second must still end older tokens.
                .claim("iat_ms", issuedAt.toEpochMilli());
        if (expires != null) {
            claims.expirationTime(Date.from(expires));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }

    /** The claims of a well-signed, unexpired reelcars token; empty for anything else. */
    public Optional<Claims> verify(String token, Instant now) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.trim());
            // Only HS256: never let the token's header choose "none" or another algorithm.
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new MACVerifier(secret))) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains(ISSUER)
                    || c.getSubject() == null || c.getJWTID() == null || c.getIssueTime() == null) {
                return Optional.empty();
            }
            if (c.getExpirationTime() != null && !now.isBefore(c.getExpirationTime().toInstant())) {
                return Optional.empty();
            }
            Kind kind = "api".equals(c.getStringClaim("kind")) ? Kind.API : Kind.SESSION;
            Long millis = c.getLongClaim("iat_ms");
            Instant issued = millis != null ? Instant.ofEpochMilli(millis) : c.getIssueTime().toInstant();
            return Optional.of(new Claims(c.getSubject(), kind, c.getJWTID(), issued));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
