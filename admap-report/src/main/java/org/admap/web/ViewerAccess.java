package org.admap.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may talk to the viewer: which {@code Host} and {@code Origin} headers it answers, and
 * the access token it asks for when it listens beyond this machine.
 *
 * <p>The {@code Host} check is what stops DNS rebinding (a page of {@code evil.example} whose
 * name the attacker points at this machine sends {@code Host: evil.example}), so it holds on
 * every address, {@code 0.0.0.0} included. Answered are the loopback names, the literal
 * addresses of this machine (an address in the Host header cannot be rebound), and the names
 * the user allows with {@code --allow-host} ({@code NAME} on the viewer's port, or
 * {@code NAME:PORT} as seen through a tunnel or proxy). Off loopback every request must also
 * carry a random token, printed once at start in the viewer's address; opening that address
 * sets it as a cookie ({@code HttpOnly}, {@code SameSite=Strict}), and scripts may send it as
 * the {@code X-Admap-Token} header instead.
 */
public final class ViewerAccess {

    /** The header that may carry the token. */
    public static final String TOKEN_HEADER = "X-Admap-Token";
    /** The query parameter of the printed address that carries the token. */
    public static final String TOKEN_PARAMETER = "token";

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?i)(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?)(:[0-9]{1,5})?");

    private final InetAddress bound;
    private final int port;
    private final Set<String> allowed;
    private final String token;

    private ViewerAccess(InetAddress bound, int port, Set<String> allowed, String token) {
        this.bound = bound;
        this.port = port;
        this.allowed = allowed;
        this.token = token;
    }

    /**
     * The access rules of a viewer listening on {@code bound}:{@code port}.
     *
     * @param allowHosts further names to answer, each {@code NAME} or {@code NAME:PORT}
     * @throws IllegalArgumentException for a name that is not a host name
     */
    public static ViewerAccess of(InetAddress bound, int port, List<String> allowHosts) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String name : allowHosts) {
            allowed.add(checkedName(name));
        }
        String token = null;
        if (!bound.isLoopbackAddress()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        }
        return new ViewerAccess(bound, port, Set.copyOf(allowed), token);
    }

    /**
     * An {@code --allow-host} value, lower-cased.
     *
     * @throws IllegalArgumentException when it is not {@code NAME} or {@code NAME:PORT}
     */
    public static String checkedName(String name) {
        if (name == null || !HOST_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--allow-host " + name + ": not a host name (NAME or NAME:PORT,"
                    + " e.g. myhost.lan or localhost:9000)");
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf(']') && Integer.parseInt(name.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("--allow-host " + name + ": the port must be in 1..65535");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The token requests must carry, or empty on loopback, where none is needed. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** The name of the cookie that carries the token (one per port: cookies ignore ports). */
    public String cookieName() {
        return "admap_token_" + port;
    }

    /**
     * Whether a request's {@code Host} header names this viewer.
     *
     * @param host the header's value, or null when it is missing
     */
    public boolean hostAllowed(String host) {
        if (host == null || !HOST_NAME.matcher(host).matches()) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (allowed.contains(h)) {
            return true;
        }
        int colon = h.lastIndexOf(':');
        if (colon <= h.lastIndexOf(']')) {
            return false; // no port: port 80, never this viewer's unless allowed as NAME:80
        }
        if (!h.substring(colon + 1).equals(Integer.toString(port))) {
            return false;
        }
        String name = h.substring(0, colon);
        return name.equals("localhost") || allowed.contains(name) || isAddressOfThisViewer(name);
    }

    /** A literal address (never a name: names can be rebound) that reaches this viewer. */
    private boolean isAddressOfThisViewer(String name) {
        String literal = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        if (!literal.matches("[0-9.]+") && !literal.contains(":")) {
            return false;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            return false;
        }
        if (address.isLoopbackAddress()) {
            return bound.isLoopbackAddress() || bound.isAnyLocalAddress();
        }
        if (bound.isAnyLocalAddress()) {
            try {
                return NetworkInterface.getByInetAddress(address) != null;
            } catch (SocketException e) {
                return false;
            }
        }
        return address.equals(bound);
    }

    /**
     * Whether a change request's {@code Origin} is this viewer's own page: browsers send it
     * with every POST; a missing one (curl, scripts) is accepted, {@code null} is not.
     */
    public boolean originAllowed(String origin, String host) {
        return origin == null || origin.equalsIgnoreCase("http://" + host);
    }

    /**
     * Whether a request carries the token, as the header or the cookie; always true on
     * loopback.
     */
    public boolean tokenPresented(String header, List<String> cookieHeaders) {
        if (token == null) {
            return true;
        }
        if (header != null) {
            return matches(header);
        }
        if (cookieHeaders != null) {
            String prefix = cookieName() + "=";
            for (String line : cookieHeaders) {
                for (String cookie : line.split(";")) {
                    String c = cookie.strip();
                    if (c.startsWith(prefix) && matches(c.substring(prefix.length()))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Compares in constant time, so the answer's timing does not tell how much of a guess was right. */
    public boolean matches(String candidate) {
        return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.US_ASCII),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code Set-Cookie} value that hands the token to the browser of the printed address. */
    public String setCookie() {
        return cookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** The host to print in the viewer's address: the bound one, or for 0.0.0.0 an address of this machine. */
    public String printedHost() {
        InetAddress a = bound;
        if (bound.isAnyLocalAddress()) {
            a = firstAddressOfThisMachine().orElse(InetAddress.getLoopbackAddress());
        }
        String h = a.getHostAddress();
        int scope = h.indexOf('%');
        if (scope >= 0) {
            h = h.substring(0, scope);
        }
        return a instanceof Inet6Address ? "[" + h + "]" : h;
    }

    private static Optional<InetAddress> firstAddressOfThisMachine() {
        try {
            for (NetworkInterface n : NetworkInterface.networkInterfaces().toList()) {
                if (!n.isUp() || n.isLoopback()) {
                    continue;
                }
                Optional<InetAddress> v4 = n.inetAddresses().filter(a -> !(a instanceof Inet6Address)).findFirst();
                if (v4.isPresent()) {
                    return v4;
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
