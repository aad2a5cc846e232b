package io.fabsim.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.testing.TestSigner;
import io.fabsim.common.time.ManualClock;
import java.security.Signature;
import java.util.HexFormat;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.Test;

/** The request must look like the one Fabric's peer sends (see fabric-vectors deliver-requests/). */
class SeekInfoEnvelopesTest {

    private final ManualClock clock = new ManualClock();
    private final TestSigner signer = TestSigner.generated();
    private final byte[] certHash = HexFormat.of().parseHex("27f667d17205597f77803e9d1ffb58ba58d32a2d3fade3c80ec2b7292666a3ad");

    @Test
    void aSignedSeekFromTheLedgerHeightToMaxUint64WithTheTlsBinding() throws Exception {
        Envelope env = new SeekInfoEnvelopes("vectors", signer, clock, Optional.of(certHash)).blocksFrom(3);

        Payload payload = Payload.parseFrom(env.getPayload());
        ChannelHeader ch = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
        assertThat(ch.getType()).isEqualTo(HeaderType.DELIVER_SEEK_INFO_VALUE);
        assertThat(ch.getChannelId()).isEqualTo("vectors");
        assertThat(ch.getVersion()).isZero();
        assertThat(ch.getEpoch()).isZero();
        assertThat(ch.getTxId()).isEmpty();
        assertThat(ch.getTimestamp().getSeconds()).isEqualTo(clock.now().getEpochSecond());
        assertThat(ch.getTimestamp().getNanos()).isZero();
        assertThat(ch.getTlsCertHash().toByteArray()).isEqualTo(certHash);
        // Zero and empty fields are absent on the wire: type, timestamp, channel id, tls_cert_hash only.
        assertThat(ch.toByteArray()).startsWith(HexFormat.of().parseHex("0805"));
        assertThat(ch.getUnknownFields().asMap()).isEmpty();

        SignatureHeader sh = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        assertThat(sh.getCreator().toByteArray()).isEqualTo(signer.serializedIdentity());
        assertThat(sh.getNonce().size()).isEqualTo(24);

        SeekInfo seek = SeekInfo.parseFrom(payload.getData());
        assertThat(seek.getStart().getSpecified().getNumber()).isEqualTo(3);
        assertThat(Long.toUnsignedString(seek.getStop().getSpecified().getNumber())).isEqualTo("18446744073709551615");
        assertThat(seek.getBehavior()).isEqualTo(SeekInfo.SeekBehavior.BLOCK_UNTIL_READY);
        assertThat(seek.getErrorResponse()).isEqualTo(SeekInfo.SeekErrorResponse.STRICT);
        assertThat(seek.getContentType()).isEqualTo(SeekInfo.SeekContentType.BLOCK);
        // Start bytes as in Fabric's recorded "specified 3" request.
        assertThat(seek.getStart().toByteArray()).isEqualTo(HexFormat.of().parseHex("1a020803"));

        Signature verify = Signature.getInstance("SHA256withECDSA");
        verify.initVerify(signer.keyPair().getPublic());
        verify.update(env.getPayload().toByteArray());
        assertThat(verify.verify(env.getSignature().toByteArray())).isTrue();
    }

    @Test
    void withoutMutualTlsThereIsNoCertHashAndEveryRequestHasAFreshNonce() throws Exception {
        SeekInfoEnvelopes envelopes = new SeekInfoEnvelopes("ch", signer, clock, Optional.empty());
        Envelope a = envelopes.blocksFrom(0);
        Envelope b = envelopes.blocksFrom(0);

        Payload payload = Payload.parseFrom(a.getPayload());
        assertThat(ChannelHeader.parseFrom(payload.getHeader().getChannelHeader()).getTlsCertHash().isEmpty()).isTrue();
        assertThat(SeekInfo.parseFrom(payload.getData()).getStart().hasOldest()).isTrue();
        assertThat(SeekInfo.parseFrom(payload.getData()).getStart().toByteArray()).isEqualTo(HexFormat.of().parseHex("1200"));
        assertThat(a.getPayload()).isNotEqualTo(b.getPayload());
    }
}
