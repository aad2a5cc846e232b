package io.fabsim.peer;

import io.fabsim.common.verify.InvalidBlockException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.tools.testing.GeneratedCrypto;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cases of Fabric's committer validation a Fabric orderer would not let through (so the
 * interop test against a real peer cannot produce them): creators outside the channel, bad
 * signatures, a non-zero epoch, a CONFIG_UPDATE in a block, and a config that does not follow
 * the current sequence. Codes as in Fabric's {@code msgvalidation.go} and {@code txvalidator/v20}.
 */
class FabricTxValidatorTest {

    private static final String CH = TestOrderers.CHANNEL;

    private ChannelConfig config;
    private FabricTxValidator validator;
    private Signer org1User;

    @BeforeEach
    void setUp() throws Exception {
        Block genesis = TestOrderers.genesisFor(GeneratedCrypto.dir(), 7050);
        config = ChannelConfig.fromBlock(genesis);
        InMemoryBlockStore store = new InMemoryBlockStore(CH);
        store.append(genesis);
        validator = new FabricTxValidator(store, () -> config);
        org1User = LocalMsp.loadSigningIdentity("Org1MSP", GeneratedCrypto.dir()
                .resolve("crypto-config/peerOrganizations/org1.example.com/users/User1@org1.example.com/msp"));
    }

    private byte[] filter(Envelope... txs) throws InvalidBlockException {
        Block block = Blocks.newBlock(1, ByteString.EMPTY, List.of(txs).stream().map(Envelope::toByteString).toList());
        return validator.validate(block);
    }

    private static Envelope signed(HeaderType type, long epoch, ByteString data, Signer signer) {
        return Envelopes.createSigned(new EnvelopeSpec(type, CH, data, epoch, ByteString.EMPTY), signer, Clock.system());
    }

    @Test
    void headerSignatureAndTypeChecksGiveFabricsCodes() throws Exception {
        Signer org2User = LocalMsp.loadSigningIdentity("Org2MSP", GeneratedCrypto.dir()
                .resolve("crypto-config/peerOrganizations/org2.example.com/users/User1@org2.example.com/msp"));
        Envelope good = new EndorserTxs(CH, org1User, org1User).invoke("basic", Envelopes.nonce(), EndorserTxs.Defect.NONE);
        Envelope badSignature = good.toBuilder().setSignature(ByteString.copyFrom(org1User.sign(new byte[] {1}))).build();
        Envelope outsider = new EndorserTxs(CH, org2User, org2User).invoke("basic", Envelopes.nonce(), EndorserTxs.Defect.NONE);
        Envelope otherChannel = new EndorserTxs("other", org1User, org1User).invoke("basic", Envelopes.nonce(),
                EndorserTxs.Defect.NONE);

        assertThat(filter(good, badSignature, outsider, otherChannel,
                signed(HeaderType.MESSAGE, 0, ByteString.copyFromUtf8("m"), org1User),
                signed(HeaderType.CONFIG_UPDATE, 0, ByteString.copyFromUtf8("u"), org1User),
                signed(HeaderType.ENDORSER_TRANSACTION, 1, ByteString.EMPTY, org1User),
                Envelope.newBuilder().setPayload(ByteString.copyFrom(new byte[] {(byte) 0xff})).build()))
                .containsExactly(TxValidationCode.INVALID_CHAINCODE_VALUE, TxValidationCode.BAD_CREATOR_SIGNATURE_VALUE,
                        TxValidationCode.BAD_CREATOR_SIGNATURE_VALUE, TxValidationCode.BAD_CREATOR_SIGNATURE_VALUE,
                        TxValidationCode.BAD_COMMON_HEADER_VALUE, TxValidationCode.UNSUPPORTED_TX_PAYLOAD_VALUE,
                        TxValidationCode.BAD_COMMON_HEADER_VALUE, TxValidationCode.BAD_PAYLOAD_VALUE);
    }

    @Test
    void aConfigTransactionThatDoesNotFollowTheCurrentSequenceStopsTheBlock() throws Exception {
        Config same = config.config();
        Envelope stale = signed(HeaderType.CONFIG, 0, ConfigEnvelope.newBuilder().setConfig(same).build().toByteString(),
                org1User);
        assertThatThrownBy(() -> filter(stale)).isInstanceOf(InvalidBlockException.class)
                .hasMessageContaining("config currently at sequence 0, cannot validate config at sequence 0");

        Envelope next = signed(HeaderType.CONFIG, 0, ConfigEnvelope.newBuilder()
                .setConfig(same.toBuilder().setSequence(same.getSequence() + 1)).build().toByteString(), org1User);
        assertThat(filter(next)).containsExactly(TxValidationCode.VALID_VALUE);
    }
}
