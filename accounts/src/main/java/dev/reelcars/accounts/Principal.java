package dev.reelcars.accounts;

import java.util.Set;

/**
 * Who a request comes from, after its token was verified against the current account.
 *
 * @param viaCookie the token came in the session cookie (a browser), not an {@code Authorization} header: such a
 *     request must also pass the origin check, since a browser attaches cookies to cross-site requests too
 * @param tokenId the token's id ({@code jti}): an API token's id, or the session's
 */
public record Principal(String name, Set<Role> roles, boolean viaCookie, Tokens.Kind kind, String tokenId) {
    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
