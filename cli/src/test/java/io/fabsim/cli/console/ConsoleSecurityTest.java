package io.fabsim.cli.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleSecurityTest {

    private final ConsoleSecurity security = new ConsoleSecurity("t0ken", Set.of("127.0.0.1:8700", "localhost:8700"));

    @Test
    void anActionNeedsTheConsolesHostItsOriginAndTheToken() {
        assertThat(security.checkAction("127.0.0.1:8700", "http://127.0.0.1:8700", "t0ken")).isEmpty();
        assertThat(security.checkAction("LOCALHOST:8700", "http://localhost:8700", "t0ken")).isEmpty();
        assertThat(security.checkAction("127.0.0.1:8700", "http://127.0.0.1:8700", null)).get().asString()
                .startsWith("missing token");
        assertThat(security.checkAction("127.0.0.1:8700", "http://127.0.0.1:8700", "t0ke")).get().asString()
                .startsWith("wrong token");
        assertThat(security.checkAction("127.0.0.1:8700", null, "t0ken")).get().asString().startsWith("missing Origin");
        assertThat(security.checkAction("127.0.0.1:8700", "http://localhost:8700", "t0ken")).get().asString()
                .contains("expected http://127.0.0.1:8700");
        assertThat(security.checkAction("evil.example:8700", "http://evil.example:8700", "t0ken")).get().asString()
                .contains("is not this console");
        assertThat(security.checkAction(null, "http://127.0.0.1:8700", "t0ken")).get().asString().isEqualTo("missing Host header");
        assertThat(security.checkHost("127.0.0.1:8701")).isPresent();
    }

    @Test
    void aLoopbackConsoleAnswersToItsLoopbackNamesOnly() {
        Set<String> names = ConsoleSecurity.hostNames(new InetSocketAddress("127.0.0.1", 8700));
        assertThat(names).containsExactlyInAnyOrder("localhost:8700", "127.0.0.1:8700", "[::1]:8700");
    }

    @Test
    void eachConsoleHasItsOwnUnguessableToken() {
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 8700);
        String one = ConsoleSecurity.forAddress(a).token();
        assertThat(one).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(ConsoleSecurity.forAddress(a).token());
    }
}
