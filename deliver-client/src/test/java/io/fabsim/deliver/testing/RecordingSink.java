package io.fabsim.deliver.testing;

import io.fabsim.deliver.BlockSink;
import io.fabsim.deliver.LostBlocksException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongPredicate;
import org.hyperledger.fabric.protos.common.Block;

/** Records what the deliver client passes on; can refuse chosen blocks. */
public final class RecordingSink implements BlockSink {

    public final List<Block> blocks = new CopyOnWriteArrayList<>();
    public final List<String> channels = new CopyOnWriteArrayList<>();
    private volatile LongPredicate refuse = n -> false;
    private volatile LongPredicate lose = n -> false;
    private volatile long lostBlock;

    /** Block {@code number} is refused once (a full buffer, say). */
    public void refuseOnce(long number) {
        refuse = once(number, () -> refuse = m -> false);
    }

    /** Block {@code number} is refused once because block {@code lost}, taken earlier, was lost. */
    public void loseOnce(long number, long lost) {
        this.lostBlock = lost;
        lose = once(number, () -> lose = m -> false);
    }

    private static LongPredicate once(long number, Runnable reset) {
        return n -> {
            if (n == number) {
                reset.run();
                return true;
            }
            return false;
        };
    }

    @Override
    public void addBlock(String channel, Block block) {
        long number = block.getHeader().getNumber();
        if (refuse.test(number)) {
            throw new IllegalStateException("fake-sink-error");
        }
        if (lose.test(number)) {
            throw new LostBlocksException("fake-lost-block", lostBlock);
        }
        channels.add(channel);
        blocks.add(block);
    }

    public List<Long> numbers() {
        return blocks.stream().map(b -> b.getHeader().getNumber()).toList();
    }
}
