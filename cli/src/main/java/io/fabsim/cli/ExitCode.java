package io.fabsim.cli;

/**
 * Process exit codes. They differ by cause so that scripts can tell a bad configuration from a
 * refused start or a failed run. Library code never exits; only {@link FabsimCli#main} does.
 */
public enum ExitCode {
    OK(0),
    /** The command failed while running (I/O, network, a remote error). */
    FAILURE(1),
    /** Bad command line: unknown option, missing argument (picocli's usage errors). */
    USAGE(2),
    /** The configuration file or environment is invalid: the message names the key. */
    BAD_CONFIG(3),
    /** The process refused to start (e.g. both orgLeader and useLeaderElection set: Fabric panics). */
    REFUSED_TO_START(4),
    /** A remote service answered with an error (e.g. joining a channel twice). */
    REMOTE_ERROR(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
