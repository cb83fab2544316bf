package dev.reelcars.platform.http;

import dev.reelcars.platform.CommonKeys;
import dev.reelcars.platform.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code REELCARS_BIND_ADDRESS} ({@code 127.0.0.1}): the interface every service's HTTP port listens on. Loopback by
 * default, so nothing is reachable from other machines until an operator says so ({@code 0.0.0.0} in a container,
 * whose port is then published on the host's loopback by compose).
 */
public final class BindAddress {
    public static final String KEY = CommonKeys.BIND_ADDRESS.name();

    private BindAddress() {
    }

    public static String from(Settings s) {
        String address = s.string(CommonKeys.BIND_ADDRESS);
        if (!address.matches("[0-9A-Fa-f.:]+")) {
            throw new IllegalArgumentException(KEY + " must be an IP address (e.g. 127.0.0.1 or 0.0.0.0), got "
                    + address);
        }
        return address;
    }

    /** Whether only this machine can reach the address. */
    public static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
