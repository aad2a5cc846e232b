package io.fabsim.cli.console;

/** A request the console refuses, with the HTTP status (4xx) and the reason it answers. */
final class ConsoleRequestException extends Exception {

    private final int status;

    ConsoleRequestException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    int status() {
        return status;
    }
}
