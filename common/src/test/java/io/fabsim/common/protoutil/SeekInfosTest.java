package io.fabsim.common.protoutil;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.testing.VectorIdentities;
import io.fabsim.common.time.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekBehavior;
import org.hyperledger.fabric.protos.orderer.SeekInfo.SeekContentType;
import org.hyperledger.fabric.protos.orderer.SeekPosition;
import org.junit.jupiter.api.Test;

class SeekInfosTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void singleBlockRequestsHaveTheBytesPeerChannelFetchSends() {
        assertThat(hex(SeekInfos.single(SeekInfos.oldest()))).isEqualTo("0a02120012021200");
        assertThat(hex(SeekInfos.single(SeekInfos.newest()))).isEqualTo("0a020a0012020a00");
        assertThat(hex(SeekInfos.single(SeekInfos.specified(3)))).isEqualTo("0a041a02080312041a020803");
        assertThat(hex(SeekInfos.single(SeekInfos.specified(10)))).isEqualTo("0a041a02080a12041a02080a");
    }

    @Test
    void fromHeightAsksForEveryBlockForever() {
        SeekInfo info = SeekInfos.fromHeight(7);
        assertThat(info.getStart().getSpecified().getNumber()).isEqualTo(7);
        assertThat(Long.toUnsignedString(info.getStop().getSpecified().getNumber())).isEqualTo("18446744073709551615");
        assertThat(info.getBehavior()).isEqualTo(SeekBehavior.BLOCK_UNTIL_READY);
    }

    @Test
    void behaviourContentTypeAndNextCommitAreSet() {
        SeekPosition next = SeekInfos.nextCommit();
        SeekInfo info = SeekInfos.seekInfo(SeekInfos.oldest(), next, SeekBehavior.FAIL_IF_NOT_READY,
                SeekContentType.HEADER_WITH_SIG);
        assertThat(info.getStop().getTypeCase()).isEqualTo(SeekPosition.TypeCase.NEXT_COMMIT);
        assertThat(info.getBehavior()).isEqualTo(SeekBehavior.FAIL_IF_NOT_READY);
        assertThat(info.getContentType()).isEqualTo(SeekContentType.HEADER_WITH_SIG);
    }

    @Test
    void seekEnvelopeMatchesTheRecordedRequestLayout() throws Exception {
        Path admin = VectorFiles.org1Admin();
        var signer = VectorIdentities.signer("Org1MSP", admin);
        ManualClock clock = new ManualClock(Instant.ofEpochSecond(1795254913, 987_000_000));
        Envelope envelope = SeekInfos.seekEnvelope("vectors", SeekInfos.single(SeekInfos.specified(3)), signer, clock);
        ParsedEnvelope parsed = Envelopes.parse(envelope);
        assertThat(parsed.type()).isEqualTo(HeaderType.DELIVER_SEEK_INFO);
        // The exact channel header bytes of fetch_3_tls.
        assertThat(HEX.formatHex(parsed.payload().getHeader().getChannelHeader().toByteArray()))
                .isEqualTo("08051a060881d585d8062207766563746f7273");
        assertThat(hex(SeekInfo.parseFrom(parsed.payload().getData()))).isEqualTo("0a041a02080312041a020803");
        assertThat(parsed.signatureHeader().getCreator().toByteArray()).isEqualTo(signer.serializedIdentity());
        assertThat(parsed.signatureHeader().getNonce().size()).isEqualTo(24);
        assertThat(VectorIdentities.verifies(parsed.signatureHeader().getCreator(), envelope.getPayload(),
                envelope.getSignature())).isTrue();

        byte[] hash = HEX.parseHex("27f667d17205597f77803e9d1ffb58ba58d32a2d3fade3c80ec2b7292666a3ad");
        Envelope bound = SeekInfos.seekEnvelope("vectors", SeekInfos.single(SeekInfos.newest()), signer, clock, hash);
        assertThat(Envelopes.parse(bound).channelHeader().getTlsCertHash().toByteArray()).isEqualTo(hash);
    }

    private static String hex(SeekInfo info) {
        return HEX.formatHex(info.toByteArray());
    }
}
