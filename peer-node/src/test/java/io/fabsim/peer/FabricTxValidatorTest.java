package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.LocalMsp;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EndorserTransactions;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.ConfigUpdateValidator;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.orderer.BatchTimeout;
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

    private static final String CH = TestOrderer.CHANNEL;

    private ChannelConfig config;
    private FabricTxValidator validator;
    private Signer org1User;

    @BeforeEach
    void setUp() throws Exception {
        Block genesis = TestOrderer.genesisFor(7050);
        config = ChannelConfig.fromBlock(genesis);
        InMemoryBlockStore store = new InMemoryBlockStore(CH);
        store.append(genesis);
        validator = new FabricTxValidator(store, () -> config);
        org1User = LocalMsp.loadSigningIdentity("Org1MSP", FabricVectors.dir()
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
        Signer org2User = LocalMsp.loadSigningIdentity("Org2MSP", FabricVectors.dir()
                .resolve("crypto-config/peerOrganizations/org2.example.com/users/User1@org2.example.com/msp"));
        Envelope good = new EndorserTransactions(CH, org1User, org1User).invoke("basic", Envelopes.nonce(), EndorserTransactions.Defect.NONE);
        Envelope badSignature = good.toBuilder().setSignature(ByteString.copyFrom(org1User.sign(new byte[] {1}))).build();
        Envelope outsider = new EndorserTransactions(CH, org2User, org2User).invoke("basic", Envelopes.nonce(), EndorserTransactions.Defect.NONE);
        Envelope otherChannel = new EndorserTransactions("other", org1User, org1User).invoke("basic", Envelopes.nonce(),
                EndorserTransactions.Defect.NONE);

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

        Envelope noUpdate = signed(HeaderType.CONFIG, 0, ConfigEnvelope.newBuilder()
                .setConfig(same.toBuilder().setSequence(same.getSequence() + 1)).build().toByteString(), org1User);
        assertThatThrownBy(() -> filter(noUpdate)).isInstanceOf(InvalidBlockException.class)
                .hasMessageContaining("error validating config which passed initial validity checks");
    }

    /**
     * Fabric's {@code Validate}: a config transaction is the config its last_update makes of the
     * current one, by an update whose signers satisfy the changed element's mod_policy.
     */
    @Test
    void aConfigTransactionIsCheckedAgainstTheUpdateThatMadeIt() throws Exception {
        Signer ordererAdmin = LocalMsp.loadSigningIdentity("OrdererMSP", FabricVectors.dir()
                .resolve("crypto-config/ordererOrganizations/example.com/users/Admin@example.com/msp"));
        ConfigGroup channel = config.config().getChannelGroup();
        ConfigGroup orderer = channel.getGroupsOrThrow("Orderer");
        ConfigValue timeout = orderer.getValuesOrThrow("BatchTimeout");
        ConfigGroup read = ConfigGroup.newBuilder().setVersion(channel.getVersion())
                .putGroups("Orderer", ConfigGroup.newBuilder().setVersion(orderer.getVersion()).build()).build();
        ConfigGroup write = ConfigGroup.newBuilder().setVersion(channel.getVersion()).setModPolicy(channel.getModPolicy())
                .putGroups("Orderer", ConfigGroup.newBuilder().setVersion(orderer.getVersion()).setModPolicy(orderer.getModPolicy())
                        .putValues("BatchTimeout", timeout.toBuilder().setVersion(timeout.getVersion() + 1)
                                .setValue(BatchTimeout.newBuilder().setTimeout("300ms").build().toByteString()).build())
                        .build()).build();

        ConfigUpdateEnvelope byAdmin = updateEnvelope(read, write, ordererAdmin);
        Config next = ConfigUpdateValidator.propose(config, byAdmin).next();
        assertThat(filter(configTx(next, byAdmin, ordererAdmin))).containsExactly(TxValidationCode.VALID_VALUE);

        ConfigGroup.Builder other = next.getChannelGroup().toBuilder();
        other.putGroups("Orderer", other.getGroupsOrThrow("Orderer").toBuilder().putValues("BatchTimeout",
                timeout.toBuilder().setVersion(timeout.getVersion() + 1)
                        .setValue(BatchTimeout.newBuilder().setTimeout("1s").build().toByteString()).build()).build());
        assertThatThrownBy(() -> filter(configTx(next.toBuilder().setChannelGroup(other).build(), byAdmin, ordererAdmin)))
                .isInstanceOf(InvalidBlockException.class)
                .hasMessageContaining("ConfigEnvelope LastUpdate did not produce the supplied config result");

        ConfigUpdateEnvelope byUser = updateEnvelope(read, write, org1User);
        assertThatThrownBy(() -> filter(configTx(next, byUser, ordererAdmin))).isInstanceOf(InvalidBlockException.class)
                .hasMessageContaining("policy for [Value]  /Channel/Orderer/BatchTimeout not satisfied");
    }

    private static ConfigUpdateEnvelope updateEnvelope(ConfigGroup read, ConfigGroup write, Signer signer) {
        ByteString update = ConfigUpdate.newBuilder().setChannelId(CH).setReadSet(read).setWriteSet(write).build()
                .toByteString();
        ByteString header = Envelopes.signatureHeader(signer.serializedIdentity(), Envelopes.nonce()).toByteString();
        return ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update).addSignatures(ConfigSignature.newBuilder()
                .setSignatureHeader(header).setSignature(ByteString.copyFrom(signer.sign(header.concat(update).toByteArray()))))
                .build();
    }

    private static Envelope configTx(Config next, ConfigUpdateEnvelope update, Signer signer) {
        Envelope last = signed(HeaderType.CONFIG_UPDATE, 0, update.toByteString(), signer);
        return signed(HeaderType.CONFIG, 0, ConfigEnvelope.newBuilder().setConfig(next).setLastUpdate(last).build()
                .toByteString(), signer);
    }
}
