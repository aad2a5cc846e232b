package io.fabsim.cli;

import io.fabsim.cli.network.NetworkControl;
import io.fabsim.common.time.Clock;
import picocli.CommandLine.Command;

/**
 * {@code fabsim network partition|heal NAME}: cut one peer's link and restore it, on a network
 * started with {@code network.netns = true} (each peer in its own network namespace).
 */
final class NetworkPartitionCommand {

    private NetworkPartitionCommand() {
    }

    @Command(name = "partition", mixinStandardHelpOptions = true,
            description = "Cut one peer off the network (netns mode): its link to the bridge goes down, so it reaches "
                    + "neither the other peers nor the orderers.")
    static final class Partition extends NetworkCommand.NodeCommand {
        @Override
        public Integer call() throws Exception {
            new NetworkControl(dir, Clock.system()).partition(name);
            out().println("partitioned " + name);
            return ExitCode.OK.code();
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true, description = "Restore the link of a partitioned peer.")
    static final class Heal extends NetworkCommand.NodeCommand {
        @Override
        public Integer call() throws Exception {
            new NetworkControl(dir, Clock.system()).heal(name);
            out().println("healed " + name);
            return ExitCode.OK.code();
        }
    }
}
