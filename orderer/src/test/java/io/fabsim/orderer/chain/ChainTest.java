package io.fabsim.orderer.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.testing.TestPki;
import io.fabsim.common.testing.TestSigner;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import io.fabsim.common.verify.ChannelBlockVerifier;
import io.fabsim.ledger.testing.InMemoryLedgerManager;
import io.fabsim.orderer.testing.Vectors;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigGroup;
import org.hyperledger.fabric.protos.common.ConfigSignature;
import org.hyperledger.fabric.protos.common.ConfigUpdate;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.ConfigValue;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.OrdererAddresses;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BatchSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Broadcast, block cutting, signing and config updates on the Fabric vectors' channel config. */
class ChainTest {

    /** Drives the BatchTimeout timer: a batch below MaxMessageCount is cut only when the test advances it. */
    private final ManualClock clock = new ManualClock();
    private InMemoryLedgerManager ledgers;
    private Chains chains;
    private BroadcastHandler broadcast;
    private Chain chain;
    private Signer user;

    @BeforeEach
    void start() throws Exception {
        ledgers = new InMemoryLedgerManager();
        ledgers.create(Vectors.block(0));
        chains = new Chains(ledgers, Vectors.ordererSigner(), clock);
        chains.startAll(java.util.List.of());
        chain = chains.orderingChain(Vectors.CHANNEL).orElseThrow();
        broadcast = new BroadcastHandler(chains, Vectors.ordererSigner(), clock);
        user = Vectors.member("org1", "User1");
    }

    @AfterEach
    void stop() {
        chains.close();
        ledgers.close();
    }

    private Envelope message(Signer signer, int size) {
        ConfigValue value = ConfigValue.newBuilder().setValue(ByteString.copyFrom(new byte[size])).build();
        return Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, Vectors.CHANNEL, value.toByteString()), signer, clock);
    }

    private Status send(Envelope envelope) {
        return broadcast.process(envelope).getStatus();
    }

    private Block awaitBlock(long number) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> chain.blocks().height() > number);
        return chain.blocks().block(number);
    }

    /** Waits until the chain has set the BatchTimeout timer of its pending batch. */
    private void awaitTimerSet() {
        await().atMost(Duration.ofSeconds(20)).until(() -> clock.pendingTasks() == 1);
    }

    @Test
    void fiveMessagesAreCutAtMaxMessageCountIntoASignedBlock() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(send(message(user, 64))).isEqualTo(Status.SUCCESS);
        }
        Block block = awaitBlock(1);
        assertThat(block.getData().getDataCount()).isEqualTo(5);
        assertThat(block.getMetadata().getMetadataCount()).isEqualTo(5);
        assertThat(Blocks.lastConfigIndex(block)).isZero();
        assertThat(Blocks.metadataSlot(block, org.hyperledger.fabric.protos.common.BlockMetadataIndex.LAST_CONFIG).isEmpty())
                .as("data blocks leave LAST_CONFIG empty, as Fabric 2.5").isTrue();
        assertThat(Blocks.metadataSlot(block, org.hyperledger.fabric.protos.common.BlockMetadataIndex.TRANSACTIONS_FILTER).isEmpty())
                .isTrue();
        ChannelConfig config = chain.config();
        ChannelBlockVerifier.forConfig(config)
                .verify(1, block, io.fabsim.common.protoutil.BlockHashing.headerHashBytes(chain.blocks().block(0).getHeader()));
    }

    @Test
    void batchTimeoutCutsThePendingBatch() throws Exception {
        // Scenario: two messages (below MaxMessageCount 5), BatchTimeout 250 ms from the first.
        // Expected: nothing is cut at 249 ms; at 250 ms one block holds both.
        send(message(user, 64));
        awaitTimerSet();
        send(message(user, 64));
        await().atMost(Duration.ofSeconds(20)).until(chain::idle);
        clock.advance(Duration.ofMillis(249));
        assertThat(clock.pendingTasks()).as("the timer has not fired").isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(awaitBlock(1).getData().getDataCount()).as("both messages cut by the timer").isEqualTo(2);
        assertThat(clock.pendingTasks()).as("no timer without a pending batch").isZero();
    }

    @Test
    void refusalsCarryFabricStatuses() throws Exception {
        assertThat(send(Envelope.newBuilder().setPayload(ByteString.copyFromUtf8("\u00ffgarbage")).build()))
                .isEqualTo(Status.BAD_REQUEST);
        Envelope other = Envelopes.createSigned(EnvelopeSpec.of(HeaderType.MESSAGE, "nochannel", ByteString.EMPTY), user, clock);
        assertThat(send(other)).isEqualTo(Status.NOT_FOUND);
        TestSigner stranger = new TestSigner("Org9MSP", new TestPki("org9.example.com").enroll("u", "client"));
        assertThat(send(message(stranger, 10))).isEqualTo(Status.FORBIDDEN);
        Envelope forged = message(user, 10).toBuilder().setSignature(ByteString.copyFrom(new byte[70])).build();
        assertThat(send(forged)).isEqualTo(Status.FORBIDDEN);
        Envelope config = Envelopes.createSigned(EnvelopeSpec.of(HeaderType.CONFIG, Vectors.CHANNEL, ByteString.EMPTY), user, clock);
        assertThat(send(config)).isEqualTo(Status.BAD_REQUEST);
        chain.errorSignal().raise("test");
        assertThat(send(message(user, 10))).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(chain.blocks().height()).as("nothing refused was ordered").isEqualTo(1);
        chain.errorSignal().clear();
        assertThat(send(message(user, 10))).isEqualTo(Status.SUCCESS);
    }

    @Test
    void pauseHoldsBlockCuttingUntilResume() throws Exception {
        chain.pause();
        for (int i = 0; i < 5; i++) {
            send(message(user, 10));
        }
        assertThat(chain.isPaused()).isTrue();
        assertThat(chain.blocks().height()).isEqualTo(1);
        chain.resume();
        assertThat(awaitBlock(1).getData().getDataCount()).isEqualTo(5);
    }

    @Test
    void pauseAlsoHoldsABatchWhoseTimerFiresWhilePaused() throws Exception {
        // Scenario: one message pending (BatchTimeout 250 ms), then pause. Expected: the timer firing while
        // paused cuts nothing (it once cut one block after pause returned); resume cuts the batch.
        send(message(user, 10));
        awaitTimerSet();
        chain.pause();
        clock.advance(Duration.ofMillis(250));
        await().atMost(Duration.ofSeconds(20)).until(chain::idle);
        assertThat(chain.blocks().height()).as("the timer fired while paused: nothing cut").isEqualTo(1);
        chain.resume();
        assertThat(awaitBlock(1).getData().getDataCount()).isEqualTo(1);
    }

    @Test
    void fabricsConfigUpdateOfBlock10ProducesTheSameConfig() throws Exception {
        for (int n = 1; n <= 9; n++) {
            chain.blocks().append(Vectors.block(n));
        }
        chains.close();
        chains = new Chains(ledgers, Vectors.ordererSigner(), clock);
        chains.startAll(java.util.List.of());
        chain = chains.orderingChain(Vectors.CHANNEL).orElseThrow();
        broadcast = new BroadcastHandler(chains, Vectors.ordererSigner(), clock);
        Block fabric10 = Vectors.block(10);
        ConfigEnvelope fabricConfig = configEnvelope(fabric10);
        assertThat(send(fabricConfig.getLastUpdate())).isEqualTo(Status.SUCCESS);
        Block ours = awaitBlock(10);
        assertThat(Blocks.isConfigBlock(ours)).isTrue();
        assertThat(configEnvelope(ours).getConfig()).isEqualTo(fabricConfig.getConfig());
        assertThat(configEnvelope(ours).getLastUpdate()).isEqualTo(fabricConfig.getLastUpdate());
        assertThat(Blocks.lastConfigIndex(ours)).isEqualTo(10);
        assertThat(chain.configSequence()).isEqualTo(1);
        assertThat(chain.config().batchTimeout()).isEqualTo(Duration.ofMillis(300));
        send(message(user, 1));
        awaitTimerSet();
        clock.advance(Duration.ofMillis(300));
        assertThat(Blocks.lastConfigIndex(awaitBlock(11))).isEqualTo(10);
    }

    private static ConfigEnvelope configEnvelope(Block block) throws Exception {
        Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
        return ConfigEnvelope.parseFrom(Payload.parseFrom(envelope.getPayload()).getData());
    }

    /** A CONFIG_UPDATE setting BatchSize, signed (envelope and config signature) by {@code admin}. */
    static Envelope batchSizeUpdate(ChannelConfig current, BatchSize size, Signer admin, Clock clock) {
        var channel = current.config().getChannelGroup();
        var orderer = channel.getGroupsOrThrow("Orderer");
        ConfigValue old = orderer.getValuesOrThrow("BatchSize");
        var writeOrderer = ConfigGroup.newBuilder().setVersion(orderer.getVersion())
                .setModPolicy(orderer.getModPolicy())
                .putValues("BatchSize", old.toBuilder().setVersion(old.getVersion() + 1).setValue(size.toByteString()).build());
        var writeSet = ConfigGroup.newBuilder().setVersion(channel.getVersion())
                .putGroups("Orderer", writeOrderer.build());
        ConfigUpdate update = ConfigUpdate.newBuilder().setChannelId(current.channelId())
                .setReadSet(readSetOf(writeSet.build())).setWriteSet(writeSet).build();
        ByteString header = Envelopes.signatureHeader(admin.serializedIdentity(), Envelopes.nonce()).toByteString();
        ByteString signature = ByteString.copyFrom(admin.sign(header.concat(update.toByteString()).toByteArray()));
        ConfigUpdateEnvelope envelope = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString())
                .addSignatures(ConfigSignature.newBuilder().setSignatureHeader(header).setSignature(signature)).build();
        return Envelopes.createSigned(EnvelopeSpec.of(HeaderType.CONFIG_UPDATE, current.channelId(), envelope.toByteString()),
                admin, clock);
    }

    @Test
    void endpointsUpdateChangesTheOrdererEndpointsPeersRead() throws Exception {
        var channel = chain.config().config().getChannelGroup();
        var orderer = channel.getGroupsOrThrow("Orderer");
        var ordererOrg = orderer.getGroupsOrThrow("OrdererOrg");
        ConfigValue old = ordererOrg.getValuesOrThrow("Endpoints");
        ByteString addresses = OrdererAddresses.newBuilder()
                .addAddresses("127.0.0.1:17050").addAddresses("127.0.0.1:17051").build().toByteString();
        var writeOrg = ConfigGroup.newBuilder().setVersion(ordererOrg.getVersion())
                .putValues("Endpoints", old.toBuilder().setVersion(old.getVersion() + 1).setValue(addresses).build());
        var writeSet = ConfigGroup.newBuilder().setVersion(channel.getVersion())
                .putGroups("Orderer", ConfigGroup.newBuilder()
                        .setVersion(orderer.getVersion()).putGroups("OrdererOrg", writeOrg.build()).build());
        assertThat(send(configUpdate(writeSet.build(), Vectors.ordererAdmin()))).isEqualTo(Status.SUCCESS);
        Block block = awaitBlock(1);
        ChannelConfig fromBlock = ChannelConfig.fromBlock(block);
        assertThat(fromBlock.ordererEndpoints()).extracting(e -> e.address().toString())
                .containsExactly("127.0.0.1:17050", "127.0.0.1:17051");
        assertThat(fromBlock.sequence()).isEqualTo(1);
        ConfigValue consensus = orderer.getValuesOrThrow("ConsensusType");
        var unsupported = ConfigGroup.newBuilder().setVersion(channel.getVersion())
                .putGroups("Orderer", ConfigGroup.newBuilder().setVersion(orderer.getVersion())
                        .putValues("ConsensusType", consensus.toBuilder().setVersion(consensus.getVersion() + 1).build())
                        .build());
        assertThat(broadcast.process(configUpdate(unsupported.build(), Vectors.ordererAdmin())).getInfo())
                .contains("not supported");
    }

    @Test
    void updatesBreakingFabricsReadSetAndDeltaRulesAreRefusedWithFabricsMessages() throws Exception {
        var channel = chain.config().config().getChannelGroup();
        var orderer = channel.getGroupsOrThrow("Orderer");
        ConfigValue old = orderer.getValuesOrThrow("BatchTimeout");
        ConfigValue newer = old.toBuilder().setVersion(old.getVersion() + 1)
                .setValue(org.hyperledger.fabric.protos.orderer.BatchTimeout.newBuilder().setTimeout("300ms").build()
                        .toByteString()).build();
        ConfigGroup writeSet = ConfigGroup.newBuilder().setVersion(channel.getVersion()).setModPolicy(channel.getModPolicy())
                .putGroups("Orderer", ConfigGroup.newBuilder().setVersion(orderer.getVersion())
                        .setModPolicy(orderer.getModPolicy()).putValues("BatchTimeout", newer).build()).build();

        // No read set (as the old orderer accepted): /Channel/Orderer is in the delta set at its own version.
        Envelope noReadSet = configUpdate(ConfigGroup.getDefaultInstance(), writeSet, Vectors.ordererAdmin());
        var refused = broadcast.process(noReadSet);
        assertThat(refused.getStatus()).isEqualTo(Status.BAD_REQUEST);
        assertThat(refused.getInfo()).contains("attempt to set key [Group]  /Channel/Orderer to version "
                + orderer.getVersion() + ", but key is at version " + orderer.getVersion());
        assertThat(broadcast.process(configUpdate(ConfigGroup.newBuilder().setVersion(channel.getVersion() + 7).build(),
                writeSet, Vectors.ordererAdmin())).getInfo())
                .contains("proposed update requires that key [Group]  /Channel be at version " + (channel.getVersion() + 7)
                        + ", but it is currently at version " + channel.getVersion());
        ConfigGroup noModPolicy = writeSet.toBuilder().putGroups("Orderer", writeSet.getGroupsOrThrow("Orderer").toBuilder()
                .putValues("BatchTimeout", newer.toBuilder().clearModPolicy().build()).build()).build();
        assertThat(broadcast.process(configUpdate(noModPolicy, Vectors.ordererAdmin())).getInfo())
                .contains("invalid mod_policy for element [Value]  /Channel/Orderer/BatchTimeout: mod_policy not set");
        assertThat(broadcast.process(configUpdate(readSetOf(writeSet), readSetOf(writeSet), Vectors.ordererAdmin())).getInfo())
                .contains("delta set was empty -- update would have no effect");
        assertThat(chain.configSequence()).as("nothing was applied").isZero();

        assertThat(send(configUpdate(writeSet, Vectors.ordererAdmin()))).isEqualTo(Status.SUCCESS);
        awaitBlock(1);
        assertThat(chain.config().batchTimeout()).isEqualTo(Duration.ofMillis(300));
    }

    /** What {@code configtxlator compute_update} reads for a change of values only: the groups on the way, at their versions. */
    static ConfigGroup readSetOf(ConfigGroup writeSet) {
        ConfigGroup.Builder read = ConfigGroup.newBuilder().setVersion(writeSet.getVersion());
        writeSet.getGroupsMap().forEach((name, group) -> read.putGroups(name, readSetOf(group)));
        return read.build();
    }

    private Envelope configUpdate(ConfigGroup writeSet, Signer admin) {
        return configUpdate(readSetOf(writeSet), writeSet, admin);
    }

    private Envelope configUpdate(ConfigGroup readSet, ConfigGroup writeSet, Signer admin) {
        ConfigUpdate update = ConfigUpdate.newBuilder().setChannelId(Vectors.CHANNEL).setReadSet(readSet)
                .setWriteSet(writeSet).build();
        ByteString header = Envelopes.signatureHeader(admin.serializedIdentity(), Envelopes.nonce()).toByteString();
        ByteString signature = ByteString.copyFrom(admin.sign(header.concat(update.toByteString()).toByteArray()));
        ConfigUpdateEnvelope envelope = ConfigUpdateEnvelope.newBuilder().setConfigUpdate(update.toByteString())
                .addSignatures(ConfigSignature.newBuilder().setSignatureHeader(header).setSignature(signature)).build();
        return Envelopes.createSigned(EnvelopeSpec.of(HeaderType.CONFIG_UPDATE, Vectors.CHANNEL, envelope.toByteString()),
                admin, clock);
    }

    @Test
    void batchSizeUpdateAppliesToTheCutter() throws Exception {
        BatchSize small = BatchSize.newBuilder().setMaxMessageCount(2).setAbsoluteMaxBytes(10_000)
                .setPreferredMaxBytes(4_000).build();
        Envelope byUser = batchSizeUpdate(chain.config(), small, user, clock);
        assertThat(send(byUser)).as("a client is not an orderer admin").isEqualTo(Status.BAD_REQUEST);
        assertThat(send(batchSizeUpdate(chain.config(), small, Vectors.ordererAdmin(), clock))).isEqualTo(Status.SUCCESS);
        awaitBlock(1);
        assertThat(chain.config().batchSize()).isEqualTo(new io.fabsim.common.configtx.BatchSize(2, 10_000, 4_000));
        assertThat(send(message(user, 11_000))).as("over AbsoluteMaxBytes").isEqualTo(Status.BAD_REQUEST);
        assertThat(send(message(user, 5_000))).isEqualTo(Status.SUCCESS);
        assertThat(awaitBlock(2).getData().getDataCount()).as("over PreferredMaxBytes: alone").isEqualTo(1);
        chain.pause();
        send(message(user, 10));
        send(message(user, 10));
        chain.resume();
        assertThat(awaitBlock(3).getData().getDataCount()).as("MaxMessageCount 2").isEqualTo(2);
    }
}
