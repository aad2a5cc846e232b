package io.fabsim.common.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class LogSpecTest {

    @Test
    void aBareLevelSetsTheDefault() {
        assertThat(LogSpec.parse("debug").defaultLevel()).isEqualTo("DEBUG");
        assertThat(LogSpec.parse("WARNING").defaultLevel()).isEqualTo("WARN");
        assertThat(LogSpec.parse("fatal").defaultLevel()).isEqualTo("ERROR");
    }

    @Test
    void namedLoggersAndDefaultMixInAnyOrder() {
        LogSpec spec = LogSpec.parse("io.fabsim.gossip,io.fabsim.election=debug:warn:io.grpc=error");

        assertThat(spec.defaultLevel()).isEqualTo("WARN");
        assertThat(spec.loggers()).containsExactly(entry("io.fabsim.gossip", "DEBUG"),
                entry("io.fabsim.election", "DEBUG"), entry("io.grpc", "ERROR"));
    }

    @Test
    void theDefaultIsInfoWhenOnlyLoggersAreNamed() {
        assertThat(LogSpec.parse("io.fabsim=debug").defaultLevel()).isEqualTo("INFO");
    }

    @Test
    void badSpecsNameTheirFault() {
        assertThatThrownBy(() -> LogSpec.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LogSpec.parse("info:x=y=debug")).hasMessageContaining("more than one '='");
        assertThatThrownBy(() -> LogSpec.parse("=debug")).hasMessageContaining("bad logger name");
        assertThatThrownBy(() -> LogSpec.parse("io.fabsim=chatty")).hasMessageContaining("unknown level \"chatty\"");
    }
}
