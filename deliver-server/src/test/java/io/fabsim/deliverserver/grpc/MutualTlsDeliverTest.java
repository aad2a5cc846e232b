package io.fabsim.deliverserver.grpc;

import static io.fabsim.common.protoutil.SeekInfos.oldest;
import static io.fabsim.common.protoutil.SeekInfos.specified;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.deliverserver.testing.DeliverTestClient;
import java.nio.file.Path;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.DeliverResponse;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Under mutual TLS a request must carry the hash of the client certificate presented in the handshake. */
class MutualTlsDeliverTest {

    @TempDir
    Path dir;
    DeliverFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new DeliverFixture(dir, true);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private Envelope requestWithHash(byte[] hash) {
        return SeekInfos.seekEnvelope(DeliverFixture.CHANNEL,
                SeekInfo.newBuilder().setStart(oldest()).setStop(specified(1)).build(), fx.reader, fx.clock, hash);
    }

    @Test
    void boundRequestIsServed() throws Exception {
        DeliverTestClient.Stream stream = fx.open().send(fx.request(oldest(), specified(1)));
        assertThat(stream.next().getBlock().getHeader().getNumber()).isZero();
        assertThat(stream.next().getBlock().getHeader().getNumber()).isEqualTo(1);
        assertThat(stream.next().getStatus()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void missingOrWrongBindingIsBadRequest() throws Exception {
        DeliverResponse missing = fx.open().send(requestWithHash(new byte[0])).next();
        assertThat(missing.getStatus()).isEqualTo(Status.BAD_REQUEST);
        byte[] other = fx.org1Pki.tls("other").certificateDerSha256();
        DeliverResponse wrong = fx.open().send(requestWithHash(other)).next();
        assertThat(wrong.getStatus()).isEqualTo(Status.BAD_REQUEST);
    }
}
