package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class FabsimCliTest {

    @Test
    void helpListsUsageAndExitsZero() {
        StringWriter out = new StringWriter();
        int code = FabsimCli.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: fabsim");
    }

    @Test
    void unknownOptionIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = FabsimCli.run(new String[] {"--no-such-option"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("no-such-option");
    }

    @Test
    void theConsoleRefusesANonLoopbackAddressWithoutAllowRemoteAndABadListenValue() {
        StringWriter err = new StringWriter();
        int code = FabsimCli.run(new String[] {"network", "console", "--dir", "/nonexistent", "--listen", "0.0.0.0:0"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("--listen 0.0.0.0:0").contains("--allow-remote");

        StringWriter err2 = new StringWriter();
        code = FabsimCli.run(new String[] {"network", "console", "--dir", "/nonexistent", "--listen", "8700"},
                new PrintWriter(new StringWriter()), new PrintWriter(err2));
        assertThat(code).isEqualTo(ExitCode.USAGE.code());
        assertThat(err2.toString()).contains("--listen 8700: expected HOST:PORT");
    }

    @Test
    void theConsoleOfADirectoryWithoutANetworkSaysSo() {
        StringWriter err = new StringWriter();
        int code = FabsimCli.run(new String[] {"network", "console", "--dir", "/nonexistent", "--listen", "127.0.0.1:0"},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(code).isEqualTo(ExitCode.FAILURE.code());
        assertThat(err.toString()).contains("no network in /nonexistent");
    }
}
