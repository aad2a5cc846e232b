package io.fabsim.common.config;

/**
 * A configuration value is missing, malformed or out of range. The message names the key path,
 * the value found and what was expected, e.g.
 * {@code peer.deliveryclient.reConnectBackoffThreshold: expected a duration, got "fast"}.
 */
public class ConfigException extends RuntimeException {

    private final String path;

    public ConfigException(String path, String message) {
        super(path + ": " + message);
        this.path = path;
    }

    public ConfigException(String path, String message, Throwable cause) {
        super(path + ": " + message, cause);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
