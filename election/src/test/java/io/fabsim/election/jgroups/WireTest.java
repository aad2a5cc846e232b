package io.fabsim.election.jgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.election.jgroups.Wire.Announcement;
import io.fabsim.election.jgroups.Wire.Lease;
import io.fabsim.election.jgroups.Wire.Table;
import io.fabsim.election.jgroups.Wire.Yield;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.Test;

class WireTest {

    @Test
    void messagesRoundTrip() throws IOException {
        Address a = UUID.randomUUID();
        Address b = UUID.randomUUID();
        Announcement ann = new Announcement("peer0", Map.of("gossipEndpoint", "127.0.0.1:7051"),
                Map.of("ch1", true, "ch2", false), Map.of("ch1", 4L), 7);
        byte[] bytes = Wire.encode(ann);
        assertThat(Wire.decode(bytes, 0, bytes.length)).isEqualTo(ann);

        Map<Address, Long> yielders = new LinkedHashMap<>();
        yielders.put(b, 1200L);
        yielders.put(a, 900L);
        Table table = new Table(12, Map.of("ch1", new Lease(a, "peer0", 4)), Map.of("ch1", 4L, "ch2", 2L),
                Map.of("ch1", yielders));
        bytes = Wire.encode(table);
        Table decoded = (Table) Wire.decode(bytes, 0, bytes.length);
        assertThat(decoded).isEqualTo(table);
        assertThat(decoded.cooldowns().get("ch1").keySet()).containsExactly(b, a);

        bytes = Wire.encode(new Yield("ch1", 4));
        assertThat(Wire.decode(bytes, 0, bytes.length)).isEqualTo(new Yield("ch1", 4));
        assertThat(Wire.decode(Wire.resync(), 0, 1)).isEqualTo(Wire.RESYNC);
        bytes = Wire.encode(new Wire.Check(42));
        assertThat(Wire.decode(bytes, 0, bytes.length)).isEqualTo(new Wire.Check(42));
        bytes = Wire.encode(new Wire.Confirm(42, "[p0|7]"));
        assertThat(Wire.decode(bytes, 0, bytes.length)).isEqualTo(new Wire.Confirm(42, "[p0|7]"));
    }

    @Test
    void unknownTypeIsRejected() {
        assertThatThrownBy(() -> Wire.decode(new byte[] {99}, 0, 1))
                .isInstanceOf(IOException.class).hasMessageContaining("99");
    }
}
