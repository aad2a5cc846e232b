package io.fabsim.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

    private static final Config REFERENCE = ConfigFactory.parseResources("config-test.conf");

    @Test
    void badDurationNamesKeyValueAndExpectation() {
        ConfigReader reader = ConfigLoader.fromString(REFERENCE, "testsection.backoff = fast");
        assertThatThrownBy(() -> reader.duration("testsection.backoff", Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("testsection.backoff: expected a duration (e.g. 500ms, 3s, 1m), got \"fast\"");
    }

    @Test
    void outOfRangeIntegerIsRefused() {
        ConfigReader reader = ConfigLoader.fromString(REFERENCE, "testsection.count = 11");
        assertThatThrownBy(() -> reader.intInRange("testsection.count", 1, 10))
                .hasMessage("testsection.count: expected an integer from 1 to 10, got 11");
    }

    @Test
    void unknownKeyUnderKnownSectionIsReported() {
        ConfigReader reader = ConfigLoader.fromString(REFERENCE, "testsection.cuont = 4");
        assertThatThrownBy(() -> reader.rejectUnknownKeys("testsection"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("testsection.cuont: unknown key");
    }

    @Test
    void fileOverridesReferenceAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.conf");
        Files.writeString(file, "testsection { count = 5, flag = false }");
        ConfigReader reader = ConfigLoader.load(REFERENCE, Optional.of(file),
                Map.of("CORE_TESTSECTION_FLAG", "true", "FABSIM_TESTSECTION_BACKOFF", "250ms"), List.of("CORE", "FABSIM"));
        assertThat(reader.intInRange("testsection.count", 1, 10)).isEqualTo(5);
        assertThat(reader.bool("testsection.flag")).isTrue();
        assertThat(reader.duration("testsection.backoff", Duration.ZERO, Duration.ofHours(1))).isEqualTo(Duration.ofMillis(250));
        assertThat(reader.path("testsection.dir")).isEqualTo(dir.resolve("data"));
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(REFERENCE, Optional.of(dir.resolve("nope.conf")), Map.of(), List.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void hostPortParses() {
        assertThat(HostPort.parse("127.0.0.1:7050")).isEqualTo(new HostPort("127.0.0.1", 7050));
        assertThatThrownBy(() -> ConfigLoader.fromString(REFERENCE, "a = \"localhost:x\"").hostPort("a"))
                .hasMessage("a: expected host:port with a port from 0 to 65535, got \"localhost:x\"");
    }
}
