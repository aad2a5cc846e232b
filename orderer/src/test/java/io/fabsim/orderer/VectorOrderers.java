package io.fabsim.orderer;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.orderer.testing.Vectors;
import java.nio.file.Path;

/** Orderers in this JVM with the Fabric vectors' orderer identity and TLS material, on free ports. */
final class VectorOrderers {

    private VectorOrderers() {
    }

    /** HOCON for an orderer with its ledger in {@code ledger}; {@code extra} is appended (overrides). */
    static String hocon(Path ledger, boolean tls, boolean mutualTls, String extra) {
        Path node = Vectors.ordererNode();
        Path org1TlsCa = Vectors.crypto().resolve("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem");
        return """
                General {
                  ListenAddress = "127.0.0.1"
                  ListenPort = 0
                  TLS {
                    Enabled = %s
                    ClientAuthRequired = %s
                    PrivateKey = "%s"
                    Certificate = "%s"
                    RootCAs = ["%s"]
                    ClientRootCAs = ["%s"]
                  }
                  LocalMSPDir = "%s"
                  LocalMSPID = "OrdererMSP"
                }
                FileLedger.Location = "%s"
                Operations.ListenAddress = "127.0.0.1:0"
                %s
                """.formatted(tls, mutualTls, node.resolve("tls/server.key"), node.resolve("tls/server.crt"),
                node.resolve("tls/ca.crt"), org1TlsCa, node.resolve("msp"), ledger, extra);
    }

    static OrdererConfig config(Path ledger, boolean tls, boolean mutualTls, String extra) {
        return OrdererConfig.from(ConfigLoader.fromString(hocon(ledger, tls, mutualTls, extra)));
    }

    /** Writes the vectors' blocks 0..{@code last} into a file ledger under {@code ledger}. */
    static void writeChain(Path ledger, int last) throws Exception {
        try (FileLedgerManager ledgers = new FileLedgerManager(ledger, LedgerConfig.defaults())) {
            BlockStore store = ledgers.create(Vectors.block(0));
            for (int n = 1; n <= last; n++) {
                store.append(Vectors.block(n));
            }
        }
    }

    static Orderer start(Path ledger, boolean tls, boolean mutualTls, String extra, Clock clock) throws Exception {
        return Orderer.start(config(ledger, tls, mutualTls, extra), clock);
    }
}
