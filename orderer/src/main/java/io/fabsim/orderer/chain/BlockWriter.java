package io.fabsim.orderer.chain;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.BlockSignatures;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockHeader;
import org.hyperledger.fabric.protos.common.Envelope;

/**
 * Fabric's orderer {@code BlockWriter}: makes the next block from a batch (number, previous hash,
 * data hash, five metadata slots), signs it as the orderer (metadata SIGNATURES with
 * {@code OrdererBlockMetadata{last_config}}, plus LAST_CONFIG in config blocks) and appends it to
 * the ledger, which makes it durable before any reader can see it.
 */
final class BlockWriter {

    private final BlockStore store;
    private final Signer signer;
    private BlockHeader lastHeader;
    private long lastConfigIndex;

    BlockWriter(BlockStore store, Signer signer, long lastConfigIndex) throws LedgerException {
        this.store = store;
        this.signer = signer;
        this.lastConfigIndex = lastConfigIndex;
        this.lastHeader = store.block(store.height() - 1).getHeader();
    }

    Block createNextBlock(List<Envelope> messages) {
        List<ByteString> data = new ArrayList<>(messages.size());
        for (Envelope message : messages) {
            data.add(message.toByteString());
        }
        return Blocks.newBlock(lastHeader.getNumber() + 1, BlockHashing.headerHashBytes(lastHeader), data);
    }

    /** Signs and appends a data block. */
    Block writeBlock(Block block) throws LedgerException {
        return commit(block);
    }

    /** Signs and appends a config block, which becomes the last config. */
    Block writeConfigBlock(Block block) throws LedgerException {
        lastConfigIndex = block.getHeader().getNumber();
        return commit(block);
    }

    long lastConfigIndex() {
        return lastConfigIndex;
    }

    private Block commit(Block block) throws LedgerException {
        Block signed = BlockSignatures.sign(block, lastConfigIndex, ByteString.EMPTY, signer);
        store.append(signed);
        lastHeader = signed.getHeader();
        return signed;
    }
}
