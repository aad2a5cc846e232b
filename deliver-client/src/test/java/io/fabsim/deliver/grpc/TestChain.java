package io.fabsim.deliver.grpc;

import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.Block;

/** A growing list of blocks that several test orderers serve; readers wait for blocks to come. */
final class TestChain {

    private final List<Block> blocks = new ArrayList<>();

    TestChain(List<Block> initial) {
        blocks.addAll(initial);
    }

    synchronized void append(Block block) {
        blocks.add(block);
        notifyAll();
    }

    synchronized int height() {
        return blocks.size();
    }

    synchronized Block last() {
        return blocks.get(blocks.size() - 1);
    }

    synchronized Block get(int n) {
        return blocks.get(n);
    }

    /** Block {@code n}, waiting up to {@code millis} for it; null if it did not come. */
    synchronized Block await(long n, long millis) throws InterruptedException {
        if (n >= blocks.size()) {
            wait(millis);
        }
        return n < blocks.size() ? blocks.get((int) n) : null;
    }
}
