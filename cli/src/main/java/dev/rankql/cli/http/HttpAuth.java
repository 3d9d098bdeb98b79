package dev.rankql.cli.http;

import dev.rankql.engine.mapping.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import tools.jackson.databind.node.ObjectNode;

/**
 * The optional authentication of {@code rankql serve}: Elasticsearch's {@code Authorization: ApiKey <base64(id:key)>}
 * and HTTP basic, checked on every request before its body is read, with Elasticsearch's 401 bodies.
 *
 * <p>Secrets are never taken from the command line (where {@code ps} shows them): API keys come from a file or the
 * {@code RANKQL_API_KEYS} environment variable, users from a file of salted PBKDF2 hashes. Only digests are kept in
 * memory, and every comparison takes the same time whatever the input.
 */
public final class HttpAuth {

    /** The prefix of a password hash in a users file. */
    static final String HASH_SCHEME = "pbkdf2_sha256";
    private static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final int CACHE_LIMIT = 10_000;

    private final Map<String, byte[]> apiKeys;
    private final Map<String, PasswordHash> users;
    /** Digests of {@code user:password} pairs already verified, so PBKDF2 runs once per credential, not per request. */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    private record PasswordHash(int iterations, byte[] salt, byte[] hash) {}

    private HttpAuth(Map<String, byte[]> apiKeys, Map<String, PasswordHash> users) {
        this.apiKeys = Map.copyOf(apiKeys);
        this.users = Map.copyOf(users);
    }

    /** No authentication: every request is served. */
    public static HttpAuth none() {
        return new HttpAuth(Map.of(), Map.of());
    }

    /**
     * The API keys of {@code apiKeyLines} (each {@code id:key}, or Elasticsearch's encoded form, base64 of
     * {@code id:key}) and the users of {@code userLines} ({@code user:pbkdf2_sha256$iterations$salt$hash}); blank lines
     * and lines starting with {@code #} are skipped. {@code where} names the source in error messages.
     *
     * @throws IllegalArgumentException naming the line of a malformed entry
     */
    public static HttpAuth of(List<String> apiKeyLines, String apiKeysWhere, List<String> userLines, String usersWhere) {
        var keys = new LinkedHashMap<String, byte[]>();
        for (int i = 0; i < apiKeyLines.size(); i++) {
            var line = apiKeyLines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            var pair = line.contains(":") ? line : decodeOrNull(line);
            int colon = pair == null ? -1 : pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException(apiKeysWhere + " line " + (i + 1)
                        + ": an API key is id:key, or its base64 encoding as Elasticsearch prints it");
            }
            keys.put(pair.substring(0, colon), sha256(pair.substring(colon + 1)));
        }
        var parsed = new LinkedHashMap<String, PasswordHash>();
        for (int i = 0; i < userLines.size(); i++) {
            var line = userLines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            var parts = colon <= 0 ? new String[0] : line.substring(colon + 1).split("\\$");
            PasswordHash hash = null;
            if (parts.length == 4 && parts[0].equals(HASH_SCHEME)) {
                try {
                    hash = new PasswordHash(Integer.parseInt(parts[1]), Base64.getDecoder().decode(parts[2]),
                            Base64.getDecoder().decode(parts[3]));
                } catch (IllegalArgumentException e) {
                    hash = null;
                }
            }
            if (hash == null || hash.iterations() < 1) {
                throw new IllegalArgumentException(usersWhere + " line " + (i + 1) + ": a user is user:" + HASH_SCHEME
                        + "$ITERATIONS$SALT$HASH, as 'rankql serve --hash-password' prints it (plain passwords are refused)");
            }
            parsed.put(line.substring(0, colon), hash);
        }
        return new HttpAuth(keys, parsed);
    }

    /**
     * Loads the API keys of {@code apiKeyFile} and {@code RANKQL_API_KEYS} (comma- or space-separated) and the users of
     * {@code usersFile}; {@code warnings} receives a line for each file that other users of the machine may read.
     */
    public static HttpAuth load(Optional<Path> apiKeyFile, Optional<String> apiKeysEnv, Optional<Path> usersFile,
            List<String> warnings) throws IOException {
        var keyLines = new ArrayList<String>();
        var where = new ArrayList<String>();
        if (apiKeyFile.isPresent()) {
            keyLines.addAll(Files.readAllLines(apiKeyFile.get(), StandardCharsets.UTF_8));
            where.add(apiKeyFile.get().toString());
            warnIfShared(apiKeyFile.get(), warnings);
        }
        apiKeysEnv.filter(s -> !s.isBlank()).ifPresent(env -> {
            for (var part : env.split("[,\\s]+")) {
                keyLines.add(part);
            }
            where.add("RANKQL_API_KEYS");
        });
        var userLines = List.<String>of();
        if (usersFile.isPresent()) {
            userLines = Files.readAllLines(usersFile.get(), StandardCharsets.UTF_8);
            warnIfShared(usersFile.get(), warnings);
        }
        var auth = of(keyLines, String.join(" and ", where), userLines, usersFile.map(Path::toString).orElse(""));
        if ((apiKeyFile.isPresent() || usersFile.isPresent()) && !auth.enabled()) {
            throw new IllegalArgumentException("the credential files hold no API key and no user");
        }
        return auth;
    }

    private static void warnIfShared(Path file, List<String> warnings) throws IOException {
        try {
            var permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(file + " can be read by other users of this machine; chmod 600 it");
            }
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to check.
        }
    }

    /** Whether any credential is configured, so that requests must authenticate. */
    public boolean enabled() {
        return !apiKeys.isEmpty() || !users.isEmpty();
    }

    /** The schemes offered in {@code WWW-Authenticate}, as Elasticsearch writes them. */
    List<String> challenges() {
        var challenges = new ArrayList<String>();
        if (!users.isEmpty()) {
            challenges.add("Basic realm=\"security\", charset=\"UTF-8\"");
        }
        if (!apiKeys.isEmpty()) {
            challenges.add("ApiKey");
        }
        return challenges;
    }

    /**
     * Checks a request's {@code Authorization} header; empty when the request may proceed, else Elasticsearch's 401
     * error body for a request to {@code uri}.
     */
    Optional<ObjectNode> check(String authorization, String uri) {
        if (!enabled()) {
            return Optional.empty();
        }
        if (authorization == null) {
            return Optional.of(unauthorized("missing authentication credentials for REST request [" + uri + "]", null));
        }
        int space = authorization.indexOf(' ');
        var scheme = space < 0 ? authorization : authorization.substring(0, space);
        var value = space < 0 ? "" : authorization.substring(space + 1).strip();
        if (scheme.equalsIgnoreCase("ApiKey") && !apiKeys.isEmpty()) {
            var pair = decodeOrNull(value);
            int colon = pair == null ? -1 : pair.indexOf(':');
            if (colon <= 0) {
                return Optional.of(unauthorized("unable to authenticate with provided credentials and anonymous access is "
                        + "not allowed for this request", "API key: invalid ApiKey value"));
            }
            var id = pair.substring(0, colon);
            var expected = apiKeys.get(id);
            // Both branches digest and compare, so an unknown id takes as long as a wrong key.
            var given = sha256(pair.substring(colon + 1));
            boolean matches = MessageDigest.isEqual(given, expected == null ? new byte[given.length] : expected)
                    && expected != null;
            return matches ? Optional.empty() : Optional.of(unauthorized("unable to authenticate with provided "
                    + "credentials and anonymous access is not allowed for this request",
                    expected == null ? "API key: unable to find apikey with id " + id
                            : "API key: invalid credentials for API key [" + id + "]"));
        }
        if (scheme.equalsIgnoreCase("Basic") && !users.isEmpty()) {
            var pair = decodeOrNull(value);
            int colon = pair == null ? -1 : pair.indexOf(':');
            if (colon < 0) {
                return Optional.of(unauthorized("missing authentication credentials for REST request [" + uri + "]", null));
            }
            var user = pair.substring(0, colon);
            return verifyUser(user, pair.substring(colon + 1)) ? Optional.empty()
                    : Optional.of(unauthorized("unable to authenticate user [" + user + "] for REST request [" + uri + "]",
                            null));
        }
        return Optional.of(unauthorized("missing authentication credentials for REST request [" + uri + "]", null));
    }

    private boolean verifyUser(String user, String password) {
        var cacheKey = Base64.getEncoder().encodeToString(sha256(user + "\u0000" + password));
        if (verified.contains(cacheKey)) {
            return true;
        }
        var stored = users.get(user);
        // An unknown user costs a derivation too, so that timing does not tell which users exist.
        var reference = stored != null ? stored : new PasswordHash(ITERATIONS, new byte[SALT_BYTES], new byte[HASH_BITS / 8]);
        var derived = pbkdf2(password.toCharArray(), reference.salt(), reference.iterations(), reference.hash().length * 8);
        boolean ok = MessageDigest.isEqual(derived, reference.hash()) && stored != null;
        if (ok && verified.size() < CACHE_LIMIT) {
            verified.add(cacheKey);
        }
        return ok;
    }

    private ObjectNode unauthorized(String reason, String additional) {
        var cause = Json.object();
        cause.put("type", "security_exception");
        cause.put("reason", reason);
        if (additional != null) {
            cause.put("additional_unsuccessful_credentials", additional);
        }
        var header = cause.putObject("header");
        var challenge = header.putArray("WWW-Authenticate");
        challenges().forEach(challenge::add);
        var error = Json.object();
        error.putArray("root_cause").add(cause.deepCopy());
        cause.properties().forEach(e -> error.set(e.getKey(), e.getValue()));
        var body = Json.object();
        body.set("error", error);
        body.put("status", 401);
        return body;
    }

    /** A users-file entry for {@code user} with {@code password}: a fresh salt and PBKDF2-HMAC-SHA256. */
    public static String hashPassword(String user, char[] password) {
        if (user.isEmpty() || user.contains(":")) {
            throw new IllegalArgumentException("a user name is not empty and has no ':'");
        }
        var salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        var hash = pbkdf2(password, salt, ITERATIONS, HASH_BITS);
        return user + ":" + HASH_SCHEME + "$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bits) {
        try {
            var spec = new PBEKeySpec(password, salt, iterations, bits);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no PBKDF2WithHmacSHA256", e);
        }
    }

    private static String decodeOrNull(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
