package io.fabsim.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.time.Clock;
import io.fabsim.deliverserver.testing.PeerDeliverRecorder;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerManager;
import io.fabsim.ledger.testing.InMemoryLedgerManager;
import io.fabsim.ledger.testing.TestBlocks;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Deliver client following a peer: blocks as they are committed, filtered blocks, statuses. */
class PeerDeliverServiceTest {

    @TempDir
    Path dir;

    private final InMemoryLedgerManager ledgers = new InMemoryLedgerManager();
    private PeerNode node;
    private ManagedChannel client;
    private BlockStore store;
    private Block last;

    /** The fake channels do not check signatures; any creator will do. */
    private static final Signer SIGNER = new Signer() {
        @Override
        public String mspId() {
            return "Org1MSP";
        }

        @Override
        public byte[] serializedIdentity() {
            return new byte[] {1, 2, 3};
        }

        @Override
        public byte[] sign(byte[] message) {
            return new byte[] {4, 5, 6};
        }
    };

    @BeforeEach
    void start() throws Exception {
        last = TestBlocks.genesis("ch1");
        store = ledgers.create(last);
        PeerConfig config = PeerConfig.from(ConfigLoader.fromString("""
                peer.listenAddress = "127.0.0.1:0"
                operations.listenAddress = "127.0.0.1:0"
                peer.fileSystemPath = "%s"
                """.formatted(dir)));
        FakeChannelFactory factory = new FakeChannelFactory(LeaderMode.NONE);
        node = PeerNode.start(config, Clock.system(), services -> new PeerNode.Assembly() {
            @Override
            public LedgerManager ledgers() {
                return ledgers;
            }

            @Override
            public ChannelFactory channelFactory() {
                return factory;
            }

            @Override
            public void close() {
            }
        });
        client = ManagedChannelBuilder.forAddress("127.0.0.1", node.grpcPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        client.shutdownNow();
        node.close();
    }

    private void commit(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            last = TestBlocks.next(last, "ch1");
            store.append(last);
        }
    }

    private Envelope seek(String channel, SeekInfo seekInfo) {
        return SeekInfos.seekEnvelope(channel, seekInfo, SIGNER, Clock.system());
    }

    @Test
    void aClientFollowsBlocksAsTheyAreCommitted() throws Exception {
        commit(2);
        PeerDeliverRecorder recorder = new PeerDeliverRecorder();
        StreamObserver<Envelope> requests = DeliverGrpc.newStub(client).deliver(recorder);
        requests.onNext(seek("ch1", SeekInfos.seekInfo(SeekInfos.oldest(), SeekInfos.specified(SeekInfos.MAX_BLOCK),
                SeekInfo.SeekBehavior.BLOCK_UNTIL_READY)));

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.blocks().size() == 3);
        commit(3);

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.blocks().size() == 6);
        assertThat(recorder.blocks()).extracting(b -> b.getHeader().getNumber()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        requests.onCompleted();
    }

    @Test
    void filteredBlocksCarryChannelNumberAndTransactions() throws Exception {
        commit(1);
        PeerDeliverRecorder recorder = new PeerDeliverRecorder();
        StreamObserver<Envelope> requests = DeliverGrpc.newStub(client).deliverFiltered(recorder);
        requests.onNext(seek("ch1", SeekInfos.single(SeekInfos.specified(1))));

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.statuses.size() == 1);

        assertThat(recorder.statuses).containsExactly(Status.SUCCESS);
        DeliverResponse response = recorder.responses.get(0);
        assertThat(response.hasFilteredBlock()).isTrue();
        assertThat(response.getFilteredBlock().getChannelId()).isEqualTo("ch1");
        assertThat(response.getFilteredBlock().getNumber()).isEqualTo(1);
        assertThat(response.getFilteredBlock().getFilteredTransactionsCount()).isEqualTo(1);
        assertThat(response.getFilteredBlock().getFilteredTransactions(0).getType()).isEqualTo(HeaderType.MESSAGE);
        requests.onCompleted();
    }

    @Test
    void unknownChannelAndStartBeyondHeightGetFabricsStatuses() {
        PeerDeliverRecorder unknown = new PeerDeliverRecorder();
        DeliverGrpc.newStub(client).deliver(unknown).onNext(seek("nope", SeekInfos.single(SeekInfos.oldest())));
        PeerDeliverRecorder beyond = new PeerDeliverRecorder();
        DeliverGrpc.newStub(client).deliver(beyond).onNext(seek("ch1", SeekInfos.seekInfo(SeekInfos.specified(5),
                SeekInfos.specified(5), SeekInfo.SeekBehavior.FAIL_IF_NOT_READY)));

        await().atMost(Duration.ofSeconds(20)).until(() -> unknown.statuses.size() == 1 && beyond.statuses.size() == 1);
        assertThat(unknown.statuses).containsExactly(Status.NOT_FOUND);
        assertThat(beyond.statuses).containsExactly(Status.NOT_FOUND);
    }
}
