package io.fabsim.peer;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.config.ConfigReader;
import io.fabsim.common.time.Clock;
import java.nio.file.Path;

/** Assembled fabsim peers for the tests that run them next to real Fabric peers (peer-node's and interop's). */
public final class FabsimInteropPeers {

    private FabsimInteropPeers() {
    }

    /** A fabsim peer of Org1 on {@code nodeDir}'s MSP and TLS files: mutual TLS on a free port, static leader. */
    public static PeerNode startStaticLeader(Path nodeDir, Path fileSystemPath) {
        return PeerNode.start(org1Tls(nodeDir, fileSystemPath, true, true), Clock.system());
    }

    /**
     * The configuration of an Org1 peer on {@code nodeDir}'s MSP and TLS files: TLS (mutual when
     * {@code clientAuth}) on a free port, static leader or neither leader flag.
     */
    public static ConfigReader org1Tls(Path nodeDir, Path fileSystemPath, boolean clientAuth, boolean orgLeader) {
        return ConfigLoader.fromString("""
                peer.id = peer0.org1
                peer.localMspId = Org1MSP
                peer.mspConfigPath = "%1$s/msp"
                peer.fileSystemPath = "%2$s"
                peer.listenAddress = "127.0.0.1:0"
                peer.tls { enabled = true, clientAuthRequired = %3$s
                  cert.file = "%1$s/tls/server.crt", key.file = "%1$s/tls/server.key", rootcert.file = "%1$s/tls/ca.crt" }
                operations.listenAddress = "127.0.0.1:0"
                ledger.blockStore.fsync = false
                peer.gossip.useLeaderElection = false
                peer.gossip.orgLeader = %4$s
                """.formatted(nodeDir, fileSystemPath, clientAuth, orgLeader));
    }

}
