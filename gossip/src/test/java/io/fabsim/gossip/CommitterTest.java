package io.fabsim.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.time.Clock;
import io.fabsim.common.time.ManualClock;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.ledger.testing.InMemoryBlockStore;
import io.fabsim.ledger.testing.TestBlocks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.peer.TxValidationCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommitterTest {

    private static final String CH = "ch1";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<Block> chain = TestBlocks.chain(CH, 10);
    private final GossipMetrics.Channel metrics = GossipMetrics.unexported().channel(CH);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private InMemoryBlockStore store;
    private PayloadBuffer buffer;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private Committer committer(List<Block> initial, BlockVerifier verifier) throws Exception {
        store = new InMemoryBlockStore(CH, initial);
        buffer = new PayloadBuffer(CH, store.height(), 20, Duration.ofSeconds(5), metrics, Clock.system());
        Committer committer = new Committer(new Committer.Setup("peer0", store, buffer, verifier, TxIdIndex.inMemory(),
                new ManualClock(), metrics));
        closeables.add(committer);
        return committer;
    }

    @Test
    void commitsInOrderAndPublishesEachHeight() throws Exception {
        Committer committer = committer(chain.subList(0, 1), TestBlockVerifiers.DATA_HASH);
        List<Long> heights = Collections.synchronizedList(new ArrayList<>());
        committer.addListener((channel, block, height) -> heights.add(height));
        committer.start();
        for (int n = 9; n >= 1; n--) {
            buffer.add(chain.get(n), Source.GOSSIP);
        }
        await().atMost(WAIT).until(() -> store.height() == 10);
        assertThat(heights).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(store.info().currentBlockHash()).isEqualTo(BlockHashing.headerHash(chain.get(9).getHeader()));
        assertThat(metrics.stateHeight().get()).isEqualTo(10);
        assertThat(metrics.ledgerHeight().get()).isEqualTo(10);
        assertThat(buffer.height()).isEqualTo(10);
        assertThat(buffer.add(chain.get(9), Source.GOSSIP)).isEqualTo(AddResult.BELOW_HEIGHT);
    }

    @Test
    void tamperedBlockNeverReachesTheLedgerAndTheHonestCopyStillCommits() throws Exception {
        Committer committer = committer(chain.subList(0, 3), TestBlockVerifiers.DATA_HASH);
        committer.start();
        assertThat(buffer.add(TestBlocks.withDataByteChanged(chain.get(3)), Source.ORDERER)).isEqualTo(AddResult.ACCEPTED);
        await().atMost(WAIT).until(() -> metrics.counters().rejected().get() == 1);
        assertThat(store.height()).isEqualTo(3);
        assertThat(buffer.add(chain.get(3), Source.GOSSIP)).isEqualTo(AddResult.ACCEPTED);
        await().atMost(WAIT).until(() -> store.height() == 4);
        assertThat(store.block(3).getData()).isEqualTo(chain.get(3).getData());
    }

    @Test
    void blockVerifiedOnReceiptIsNotVerifiedAgainUnlessTheVerifierChanged() throws Exception {
        List<Long> verified = Collections.synchronizedList(new ArrayList<>());
        BlockVerifier counting = block -> {
            verified.add(block.getHeader().getNumber());
            TestBlockVerifiers.DATA_HASH.verify(block);
        };
        Committer committer = committer(chain.subList(0, 3), counting);
        committer.start();
        // block 3 passed on receipt: its commit does not verify it again
        committer.verifyOnReceipt(chain.get(3));
        buffer.add(chain.get(3), Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 4);
        assertThat(verified).containsExactly(3L);
        // block 4 passed on receipt, but another copy of it is committed: that copy is verified
        committer.verifyOnReceipt(chain.get(4));
        buffer.add(chain.get(4).toBuilder().build(), Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 5);
        assertThat(verified).containsExactly(3L, 4L, 4L);
        // block 5 passed under a verifier replaced since: the new one verifies it at commit
        committer.verifyOnReceipt(chain.get(5));
        committer.replaceVerifier(block -> {
            verified.add(-block.getHeader().getNumber());
            TestBlockVerifiers.DATA_HASH.verify(block);
        });
        buffer.add(chain.get(5), Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 6);
        assertThat(verified).containsExactly(3L, 4L, 4L, 5L, -5L);
        // a tampered block fails on receipt and is remembered as nothing
        assertThat(catchThrowable(() -> committer.verifyOnReceipt(TestBlocks.withDataByteChanged(chain.get(6)))))
                .isInstanceOf(InvalidBlockException.class);
        buffer.add(TestBlocks.withDataByteChanged(chain.get(6)), Source.GOSSIP);
        await().atMost(WAIT).until(() -> metrics.counters().rejected().get() == 1);
        assertThat(store.height()).isEqualTo(6);
    }

    @Test
    void blockThatDoesNotChainToTheLedgerIsRefused() throws Exception {
        Committer committer = committer(chain.subList(0, 3), block -> { });
        committer.start();
        Block forged = chain.get(3).toBuilder()
                .setHeader(chain.get(3).getHeader().toBuilder().setPreviousHash(ByteString.copyFromUtf8("other")))
                .build();
        buffer.add(forged, Source.GOSSIP);
        await().atMost(WAIT).until(() -> metrics.counters().rejected().get() == 1);
        assertThat(store.height()).isEqualTo(3);
    }

    @Test
    void duplicateTransactionIdsAreMarkedInvalid() throws Exception {
        Committer committer = committer(chain.subList(0, 2), TestBlockVerifiers.DATA_HASH);
        committer.start();
        // chain[1] holds tx-1; the next block repeats it and repeats tx-x inside itself
        Block block2 = TestBlocks.next(chain.get(1), CH, "tx-1", "tx-x", "tx-x", "", "", "tx-y");
        Block block3 = TestBlocks.next(block2, CH, "tx-y", "tx-z", "tx-x");
        buffer.add(block2, Source.GOSSIP);
        buffer.add(block3, Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 4);
        int dup = TxValidationCode.DUPLICATE_TXID_VALUE;
        assertThat(BlockContents.filterOf(store.block(2))).containsExactly(dup, 0, dup, 0, 0, 0);
        assertThat(BlockContents.filterOf(store.block(3))).containsExactly(dup, 0, dup);
        assertThat(dup).isEqualTo(9);
    }

    @Test
    void txIdIndexIsRebuiltFromTheLedgerAtStart() throws Exception {
        Committer committer = committer(chain.subList(0, 5), TestBlockVerifiers.DATA_HASH);
        committer.start();
        Block block5 = TestBlocks.next(chain.get(4), CH, "tx-3", "tx-new");
        buffer.add(block5, Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 6);
        assertThat(BlockContents.filterOf(store.block(5))).containsExactly(TxValidationCode.DUPLICATE_TXID_VALUE, 0);
    }

    @Test
    void ledgerBackedIndexMarksDuplicatesFromTheStore() throws Exception {
        store = new InMemoryBlockStore(CH, chain.subList(0, 4));
        buffer = new PayloadBuffer(CH, store.height(), 20, Duration.ofSeconds(5), metrics, Clock.system());
        Committer committer = new Committer(new Committer.Setup("peer0", store, buffer, TestBlockVerifiers.DATA_HASH,
                TxIdIndex.ofLedger(store), new ManualClock(), metrics));
        closeables.add(committer);
        committer.start();
        buffer.add(TestBlocks.next(chain.get(3), CH, "tx-2", "tx-new", "tx-new"), Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 5);
        int dup = TxValidationCode.DUPLICATE_TXID_VALUE;
        assertThat(BlockContents.filterOf(store.block(4))).containsExactly(dup, 0, dup);
    }

    @Test
    void configBlockListenerRunsBeforeTheNextBlockIsVerified() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        Committer committer = committer(chain.subList(0, 2), block -> events.add("verify " + block.getHeader().getNumber()));
        committer.setConfigListener((channel, block) -> events.add("config " + block.getHeader().getNumber()));
        committer.start();
        Block config = TestBlocks.block(2, BlockHashing.headerHashBytes(chain.get(1).getHeader()),
                List.of(TestBlocks.envelope(CH, HeaderType.CONFIG, "cfg")));
        Block after = TestBlocks.next(config, CH, "tx-a");
        buffer.add(after, Source.GOSSIP);
        buffer.add(config, Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 4);
        assertThat(events).containsExactly("verify 2", "config 2", "verify 3");
    }

    @Test
    void replacedVerifierAppliesToLaterBlocks() throws Exception {
        Committer committer = committer(chain.subList(0, 2), block -> { });
        committer.start();
        committer.replaceVerifier(block -> {
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_SIGNATURE, "refuse all");
        });
        buffer.add(chain.get(2), Source.GOSSIP);
        await().atMost(WAIT).until(() -> metrics.counters().rejected().get() == 1);
        assertThat(store.height()).isEqualTo(2);
    }

    @Test
    void theTxValidatorDecidesTheFilterAndACommitHashChainsFromBlock1() throws Exception {
        Committer committer = committer(chain.subList(0, 1), block -> { });
        committer.setTxValidator(block -> {
            byte[] filter = new byte[block.getData().getDataCount()];
            java.util.Arrays.fill(filter, (byte) TxValidationCode.BAD_COMMON_HEADER_VALUE);
            return filter;
        });
        committer.start();
        buffer.add(chain.get(1), Source.GOSSIP);
        buffer.add(chain.get(2), Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 3);

        byte[] filter1 = BlockContents.filterOf(store.block(1));
        assertThat(filter1).isNotEmpty().containsOnly(TxValidationCode.BAD_COMMON_HEADER_VALUE);
        // Fabric's kvledger: SHA-256(varint(len(filter)) || filter || previous hash), none before block 1.
        byte[] hash1 = sha256(new byte[] {(byte) filter1.length}, filter1);
        byte[] filter2 = BlockContents.filterOf(store.block(2));
        assertThat(commitHash(store.block(1))).isEqualTo(hash1);
        assertThat(commitHash(store.block(2))).isEqualTo(sha256(new byte[] {(byte) filter2.length}, filter2, hash1));

        // After a restart the chain of hashes resumes from the last block's metadata.
        committer.close();
        Committer restarted = new Committer(new Committer.Setup("peer0", store, buffer, block -> { }, TxIdIndex.inMemory(),
                new ManualClock(), metrics));
        closeables.add(restarted);
        restarted.start();
        buffer.add(chain.get(3), Source.GOSSIP);
        await().atMost(WAIT).until(() -> store.height() == 4);
        byte[] filter3 = BlockContents.filterOf(store.block(3));
        assertThat(commitHash(store.block(3))).isEqualTo(sha256(new byte[] {(byte) filter3.length}, filter3,
                commitHash(store.block(2))));
    }

    @Test
    void aBlockTheTxValidatorRefusesIsNotCommitted() throws Exception {
        Committer committer = committer(chain.subList(0, 2), block -> { });
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        committer.setTxValidator(block -> {
            calls.incrementAndGet();
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_SIGNATURE, "config transaction does not apply");
        });
        committer.start();
        buffer.add(chain.get(2), Source.GOSSIP);
        await().atMost(WAIT).until(() -> calls.get() >= 1);
        assertThat(store.height()).isEqualTo(2);
        assertThat(buffer.height()).isEqualTo(2);
    }

    private static byte[] commitHash(Block block) throws Exception {
        return org.hyperledger.fabric.protos.common.Metadata.parseFrom(block.getMetadata()
                .getMetadata(org.hyperledger.fabric.protos.common.BlockMetadataIndex.COMMIT_HASH_VALUE)).getValue().toByteArray();
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            sha.update(part);
        }
        return sha.digest();
    }
}
