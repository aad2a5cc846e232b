package io.fabsim.common.protoutil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.testing.VectorIdentities;
import io.fabsim.common.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.junit.jupiter.api.Test;

class EnvelopesTest {

    private static final HexFormat HEX = HexFormat.of();

    /** case -> {timestamp seconds, SeekInfo hex, tls_cert_hash hex}, from the vectors README. */
    private static final Map<String, String[]> REQUESTS = Map.of(
            "fetch_oldest_tls", new String[] {"1795254909", "0a02120012021200", ""},
            "fetch_newest_tls", new String[] {"1795254911", "0a020a0012020a00", ""},
            "fetch_config_tls_1_newest", new String[] {"1795254912", "0a020a0012020a00", ""},
            "fetch_config_tls_2_block10", new String[] {"1795254912", "0a041a02080a12041a02080a", ""},
            "fetch_3_tls", new String[] {"1795254913", "0a041a02080312041a020803", ""},
            "fetch_3_plaintext", new String[] {"1795254925", "0a041a02080312041a020803", ""},
            "fetch_3_mutual_tls", new String[] {"1795254935", "0a041a02080312041a020803",
                "27f667d17205597f77803e9d1ffb58ba58d32a2d3fade3c80ec2b7292666a3ad"});

    @Test
    void recordedDeliverRequestsParseWithTheFieldsTheReadmeLists() throws Exception {
        Path dir = FabricVectors.dir().resolve("deliver-requests");
        byte[] adminPem = Files.readAllBytes(VectorFiles.org1Admin().resolve("signcerts/Admin@org1.example.com-cert.pem"));
        for (var entry : REQUESTS.entrySet()) {
            String name = entry.getKey();
            String[] expected = entry.getValue();
            ParsedEnvelope parsed = Envelopes.parse(FabricVectors.read(dir.resolve(name + ".envelope")));
            assertThat(parsed.type()).as(name).isEqualTo(HeaderType.DELIVER_SEEK_INFO);
            assertThat(parsed.channelId()).as(name).isEqualTo("vectors");
            assertThat(parsed.channelHeader().getVersion()).isZero();
            assertThat(parsed.channelHeader().getEpoch()).isZero();
            assertThat(parsed.channelHeader().getTxId()).isEmpty();
            assertThat(parsed.channelHeader().getTimestamp().getSeconds()).as(name).isEqualTo(Long.parseLong(expected[0]));
            assertThat(parsed.channelHeader().getTimestamp().getNanos()).isZero();
            assertThat(HEX.formatHex(parsed.channelHeader().getTlsCertHash().toByteArray())).as(name).isEqualTo(expected[2]);
            assertThat(HEX.formatHex(SeekInfo.parseFrom(parsed.payload().getData()).toByteArray())).as(name)
                    .isEqualTo(expected[1]);
            SerializedIdentity creator = SerializedIdentity.parseFrom(parsed.signatureHeader().getCreator());
            assertThat(creator.getMspid()).isEqualTo("Org1MSP");
            assertThat(creator.getIdBytes().toByteArray()).isEqualTo(adminPem);
            assertThat(parsed.signatureHeader().getCreator().size()).isEqualTo(822);
            assertThat(parsed.signatureHeader().getNonce().size()).isEqualTo(24);
            SignedData signed = parsed.signedData();
            assertThat(VectorIdentities.verifies(signed.identity(), signed.data(), signed.signature())).as(name).isTrue();
            assertThat(parsed.computedTxId()).hasSize(64);
        }
    }

    @Test
    void ourEnvelopesRoundTrip() throws Exception {
        Signer signer = VectorIdentities.signer("Org1MSP", VectorFiles.org1Admin());
        ManualClock clock = new ManualClock(Instant.parse("2026-11-21T09:55:30.750Z"));
        ByteString data = ByteString.copyFromUtf8("hello");
        EnvelopeSpec spec = new EnvelopeSpec(HeaderType.MESSAGE, "ch1", data, 3, ByteString.EMPTY);
        Envelope first = Envelopes.createSigned(spec, signer, clock);
        Envelope second = Envelopes.createSigned(spec, signer, clock);

        ParsedEnvelope parsed = Envelopes.parse(Envelope.parseFrom(first.toByteArray()));
        assertThat(parsed.type()).isEqualTo(HeaderType.MESSAGE);
        assertThat(parsed.channelId()).isEqualTo("ch1");
        assertThat(parsed.channelHeader().getEpoch()).isEqualTo(3);
        assertThat(parsed.channelHeader().getTimestamp().getSeconds()).isEqualTo(clock.now().getEpochSecond());
        assertThat(parsed.channelHeader().getTimestamp().getNanos()).isZero();
        assertThat(parsed.payload().getData()).isEqualTo(data);
        assertThat(VectorIdentities.verifies(parsed.signedData().identity(), parsed.signedData().data(),
                parsed.signedData().signature())).isTrue();
        assertThat(Envelopes.parse(second).signatureHeader().getNonce())
                .isNotEqualTo(parsed.signatureHeader().getNonce());
    }

    @Test
    void txIdIsSha256OfNonceThenCreator() {
        // sha256("ab") = fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603
        assertThat(Envelopes.computeTxId("a".getBytes(), "b".getBytes()))
                .isEqualTo("fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603");
    }

    @Test
    void brokenLayersAreNamed() {
        assertThatThrownBy(() -> Envelopes.parse(new byte[] {0x0a, 0x05, 0x01}))
                .isInstanceOf(EnvelopeException.class).hasMessageStartingWith("envelope: ");
        assertThatThrownBy(() -> Envelopes.parse(Envelope.getDefaultInstance()))
                .isInstanceOf(EnvelopeException.class).hasMessageStartingWith("payload: missing");
        Envelope garbagePayload = Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff})).build();
        assertThatThrownBy(() -> Envelopes.parse(garbagePayload))
                .isInstanceOf(EnvelopeException.class).hasMessageStartingWith("payload: not a common.Payload");
        Envelope noHeader = Envelope.newBuilder().setPayload(Payload.newBuilder().setData(ByteString.copyFromUtf8("x"))
                .build().toByteString()).build();
        assertThatThrownBy(() -> Envelopes.parse(noHeader))
                .isInstanceOf(EnvelopeException.class).extracting(e -> ((EnvelopeException) e).layer()).isEqualTo("header");
        Envelope badChannelHeader = Envelope.newBuilder().setPayload(Payload.newBuilder().setHeader(
                org.hyperledger.fabric.protos.common.Header.newBuilder().setChannelHeader(ByteString.copyFrom(new byte[] {0x08})))
                .build().toByteString()).build();
        assertThatThrownBy(() -> Envelopes.parse(badChannelHeader))
                .isInstanceOf(EnvelopeException.class).hasMessageStartingWith("channel header: not a common.ChannelHeader");
    }

    @Test
    void aTamperedEnvelopeNoLongerVerifies() throws Exception {
        byte[] bytes = FabricVectors.read(FabricVectors.dir().resolve("deliver-requests/fetch_3_tls.envelope"));
        Envelope envelope = Envelope.parseFrom(bytes);
        byte[] payload = envelope.getPayload().toByteArray();
        payload[payload.length - 1] ^= 0x01; // the last SeekInfo byte: specified 3 -> 2
        Envelope tampered = envelope.toBuilder().setPayload(ByteString.copyFrom(payload)).build();
        SignedData signed = Envelopes.parse(tampered).signedData();
        assertThat(VectorIdentities.verifies(signed.identity(), signed.data(), signed.signature())).isFalse();
    }
}
