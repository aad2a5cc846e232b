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
}
