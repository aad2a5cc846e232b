package io.fabsim.orderer;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.time.Clock;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.file.FileLedgerManager;
import io.fabsim.orderer.testing.Vectors;
import java.nio.file.Path;

/** Orderers in this JVM with the vectors' orderer identity and TLS material (Fabric's or generated), on free ports. */
final class VectorOrderers {

    private VectorOrderers() {
    }

    /** HOCON for an orderer with its ledger in {@code ledger}; {@code extra} is appended (overrides). */
    static String hocon(Vectors vectors, Path ledger, boolean tls, boolean mutualTls, String extra) {
        Path node = vectors.ordererNode();
        Path org1TlsCa = vectors.crypto().resolve("peerOrganizations/org1.example.com/tlsca/tlsca.org1.example.com-cert.pem");
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

    static OrdererConfig config(Vectors vectors, Path ledger, boolean tls, boolean mutualTls, String extra) {
        return OrdererConfig.from(ConfigLoader.fromString(hocon(vectors, ledger, tls, mutualTls, extra)));
    }

    /** Writes the genesis block of {@code vectors} into a file ledger under {@code ledger}. */
    static void writeGenesis(Vectors vectors, Path ledger) throws Exception {
        try (FileLedgerManager ledgers = new FileLedgerManager(ledger, LedgerConfig.defaults())) {
            ledgers.create(vectors.genesis());
        }
    }

    /** Writes Fabric's recorded blocks 0..{@code last} into a file ledger under {@code ledger}. */
    static void writeChain(Path ledger, int last) throws Exception {
        try (FileLedgerManager ledgers = new FileLedgerManager(ledger, LedgerConfig.defaults())) {
            BlockStore store = ledgers.create(Vectors.block(0));
            for (int n = 1; n <= last; n++) {
                store.append(Vectors.block(n));
            }
        }
    }

    static Orderer start(Vectors vectors, Path ledger, boolean tls, boolean mutualTls, String extra, Clock clock)
            throws Exception {
        return Orderer.start(config(vectors, ledger, tls, mutualTls, extra), clock);
    }
}
