package io.fabsim.cli.network;

import java.io.IOException;

/** {@code network up} was refused: a network started from that directory still runs. */
public final class NetworkRunningException extends IOException {

    public NetworkRunningException(String message) {
        super(message);
    }
}
