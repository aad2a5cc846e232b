package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GossipMetricsTest {

    @Test
    void exposesFabricNamesPerChannel() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        GossipMetrics metrics = new GossipMetrics(registry);
        GossipMetrics.Channel ch = metrics.channel("ch1");
        ch.stateHeight().set(7);
        ch.ledgerHeight().set(7);
        ch.bufferSize().set(2);
        ch.commitDuration().observe(0.003);
        ch.counters().pushed().inc(3);
        ch.counters().requestsSent().inc();
        metrics.overflow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("gossip_state_height{channel=\"ch1\"} 7.0", "ledger_blockchain_height{channel=\"ch1\"} 7.0",
                "gossip_payload_buffer_size{channel=\"ch1\"} 2.0", "gossip_state_commit_duration_count{channel=\"ch1\"} 1",
                "gossip_blocks_pushed_total{channel=\"ch1\"} 3.0", "gossip_state_requests_sent_total{channel=\"ch1\"} 1.0",
                "gossip_comm_overflow_count_total 1.0", "gossip_membership_total_peers_known");
    }
}
