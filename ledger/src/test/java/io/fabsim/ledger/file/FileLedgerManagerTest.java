package io.fabsim.ledger.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.testing.TestBlocks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLedgerManagerTest {

    private static final LedgerConfig CONFIG = LedgerConfig.defaults();

    @TempDir
    Path root;

    @Test
    void createsFromTheFabricGenesisBlockAndFindsItAgainAfterRestart() throws Exception {
        Block genesis = Block.parseFrom(FabricVectors.read(FabricVectors.dir().resolve("genesis.block")));
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            assertThat(manager.ledgerIds()).isEmpty();
            BlockStore store = manager.create(genesis);
            assertThat(store.channelId()).isEqualTo("vectors");
            assertThat(store.height()).isEqualTo(1);
            assertThat(manager.exists("vectors")).isTrue();
            assertThat(manager.open("vectors")).isSameAs(store);
            store.append(Block.parseFrom(FabricVectors.read(FabricVectors.chainBlock(1))));
        }
        assertThat(root.resolve("chains/vectors/blockfile_000000")).isRegularFile();
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            assertThat(manager.ledgerIds()).containsExactly("vectors");
            assertThat(manager.open("vectors").height()).isEqualTo(2);
        }
    }

    @Test
    void listsLedgersSortedAndRefusesToCreateOneTwice() throws Exception {
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            manager.create(TestBlocks.genesis("zeta"));
            manager.create(TestBlocks.genesis("alpha"));
            manager.create(TestBlocks.genesis("mid.channel-2"));
            assertThat(manager.ledgerIds()).containsExactly("alpha", "mid.channel-2", "zeta");
            assertThatThrownBy(() -> manager.create(TestBlocks.genesis("alpha"))).isInstanceOf(LedgerException.class)
                    .hasMessageStartingWith("channel alpha: a ledger already exists at ");
            assertThat(manager.open("alpha").height()).isEqualTo(1);
        }
    }

    @Test
    void refusesAGenesisBlockThatIsNotAConfigBlockWithAChannelId() throws Exception {
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            Block dataBlock = TestBlocks.block(0, ByteString.EMPTY,
                    List.of(TestBlocks.envelope("ch1", HeaderType.ENDORSER_TRANSACTION, "tx1", new byte[1])));
            assertThatThrownBy(() -> manager.create(dataBlock)).isInstanceOf(LedgerException.class)
                    .hasMessage("genesis block: expected a config block (channel header type 1 CONFIG), got type 3");
            Block noChannel = TestBlocks.genesis("");
            assertThatThrownBy(() -> manager.create(noChannel)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("expected a channel id matching");
            Block traversal = TestBlocks.genesis("../evil");
            assertThatThrownBy(() -> manager.create(traversal)).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("got \"../evil\"");
            Block empty = TestBlocks.block(0, ByteString.EMPTY, List.of());
            assertThatThrownBy(() -> manager.create(empty)).isInstanceOf(LedgerException.class)
                    .hasMessage("genesis block: expected one config envelope, got no data");
            Block notFirst = TestBlocks.chain("ch1", 2, 1, 1, 1).get(1);
            assertThatThrownBy(() -> manager.create(notFirst)).isInstanceOf(LedgerException.class)
                    .hasMessage("genesis block: expected block number 0, got 1");
            assertThat(manager.ledgerIds()).isEmpty();
        }
    }

    @Test
    void skipsEntriesThatAreNotLedgers() throws Exception {
        Path chains = root.resolve("chains");
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            manager.create(TestBlocks.genesis("ch1"));
        }
        Files.createDirectories(chains.resolve("emptydir"));
        Files.createDirectories(chains.resolve("Not_A_Channel"));
        Files.writeString(chains.resolve("notes.txt"), "hello");
        Files.createDirectories(chains.resolve(".creating-ch2"));
        Files.createDirectories(chains.resolve("zerofile"));
        Files.createFile(chains.resolve("zerofile/blockfile_000000"));
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            assertThat(manager.ledgerIds()).containsExactly("ch1");
            assertThat(manager.exists("emptydir")).isFalse();
            assertThatThrownBy(() -> manager.open("emptydir")).isInstanceOf(LedgerException.class)
                    .hasMessageStartingWith("channel emptydir: no ledger at ");
            assertThatThrownBy(() -> manager.create(TestBlocks.genesis("emptydir"))).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("exists but is not a ledger");
            assertThat(manager.create(TestBlocks.genesis("ch2")).height()).isEqualTo(1);
            assertThat(manager.ledgerIds()).containsExactly("ch1", "ch2");
        }
    }

    @Test
    void aStoreClosedByItsUserIsReopened() throws Exception {
        try (FileLedgerManager manager = new FileLedgerManager(root, CONFIG)) {
            BlockStore first = manager.create(TestBlocks.genesis("ch1"));
            first.close();
            BlockStore second = manager.open("ch1");
            assertThat(second).isNotSameAs(first);
            assertThat(second.block(0)).isEqualTo(TestBlocks.genesis("ch1"));
        }
    }

    @Test
    void closeClosesEveryOpenStore() throws Exception {
        FileLedgerManager manager = new FileLedgerManager(root, CONFIG);
        BlockStore store = manager.create(TestBlocks.genesis("ch1"));
        manager.close();
        assertThatThrownBy(() -> store.block(0)).isInstanceOf(LedgerException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> manager.open("ch1")).isInstanceOf(LedgerException.class)
                .hasMessageContaining("the ledger manager is closed");
    }
}
