package io.fabsim.common.configtx;

/**
 * A config block, config envelope or config value could not be read. The message starts with the
 * config path that failed ({@code /Channel/Orderer/BatchSize: ...}) and says what was expected.
 */
public class ConfigTxException extends Exception {

    public ConfigTxException(String message) {
        super(message);
    }

    public ConfigTxException(String message, Throwable cause) {
        super(message, cause);
    }
}
