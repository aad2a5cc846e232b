package io.fabsim.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigLoader;
import org.junit.jupiter.api.Test;

class LedgerConfigTest {

    @Test
    void referenceDefaultsAreFabricsDefaults() {
        assertThat(LedgerConfig.from(ConfigLoader.defaults())).isEqualTo(LedgerConfig.defaults());
        assertThat(LedgerConfig.defaults()).isEqualTo(new LedgerConfig(64L * 1024 * 1024, true));
    }

    @Test
    void readsOverrides() {
        LedgerConfig config = LedgerConfig.from(ConfigLoader.fromString(
                "ledger.blockStore { maxBlockfileSize = 1 MiB, fsync = false }"));
        assertThat(config).isEqualTo(new LedgerConfig(1024 * 1024, false));
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> LedgerConfig.from(ConfigLoader.fromString("ledger.blockStore.maxBlockfileSize = 10")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.blockStore.maxBlockfileSize")
                .hasMessageContaining("got 10");
        assertThatThrownBy(() -> LedgerConfig.from(ConfigLoader.fromString("ledger.blockStore.fsync = sometimes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.blockStore.fsync");
        assertThatThrownBy(() -> LedgerConfig.from(ConfigLoader.fromString("ledger.blockStore.fsynk = false")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ledger.blockStore.fsynk");
    }
}
