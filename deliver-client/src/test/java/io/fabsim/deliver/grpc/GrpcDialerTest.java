package io.fabsim.deliver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.deliver.DeliverClientConfig;
import io.fabsim.deliver.DeliverTransportException;
import io.fabsim.deliver.OrdererEndpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GrpcDialerTest {

    private final TlsFixtures tls = new TlsFixtures();
    private final GrpcDialer dialer = GrpcDialer.tls(Optional.of(tls.peerClientTls()), DeliverClientConfig.defaults());

    @Test
    void aRefusedConnectionFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long started = System.nanoTime();
        assertThatThrownBy(() -> dialer.dial(new OrdererEndpoint("127.0.0.1:" + port, List.of(tls.ordererCaPem())),
                Duration.ofSeconds(20)))
                .isInstanceOf(DeliverTransportException.class).hasMessageContaining("127.0.0.1:" + port);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(dialer.openConnections()).isZero();
    }

    @Test
    void anOrdererThatNeverAnswersTheHandshakeTimesOutAfterConnTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            OrdererEndpoint endpoint = new OrdererEndpoint("127.0.0.1:" + silent.getLocalPort(), List.of(tls.ordererCaPem()));
            long started = System.nanoTime();
            assertThatThrownBy(() -> dialer.dial(endpoint, Duration.ofMillis(500)))
                    .isInstanceOf(DeliverTransportException.class).hasMessageContaining("within PT0.5S");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(dialer.openConnections()).isZero();
    }

    @Test
    void anEndpointWithoutTlsRootsIsRefusedAndTheCertHashIsTheClientCertificates() throws Exception {
        assertThatThrownBy(() -> dialer.dial(new OrdererEndpoint("127.0.0.1:1", List.of()), Duration.ofSeconds(1)))
                .isInstanceOf(DeliverTransportException.class).hasMessageContaining("no TLS root CA certificates");
        assertThat(dialer.clientCertificateHash()).contains(
                BlockHashing.sha256(tls.peerClientTls().chain().get(0).getEncoded()));
        assertThat(GrpcDialer.plaintext(DeliverClientConfig.defaults()).clientCertificateHash()).isEmpty();
    }
}
