package io.fabsim.common.crypto;

/**
 * Crypto material (a PEM file, a key, an MSP or TLS folder) cannot be used: it is missing, corrupt
 * or of the wrong kind. The message names the file or source, what was expected and what was found,
 * e.g. {@code msp/keystore/priv_sk: private key is RSA, expected an EC P-256 key}.
 */
public class CryptoMaterialException extends RuntimeException {

    public CryptoMaterialException(String message) {
        super(message);
    }

    public CryptoMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
