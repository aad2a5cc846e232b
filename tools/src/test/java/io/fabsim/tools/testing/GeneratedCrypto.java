package io.fabsim.tools.testing;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.cryptogen.CryptoGenerator;
import io.fabsim.tools.cryptogen.CryptogenConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Crypto material made by the project's own cryptogen, for tests that need valid MSP and TLS
 * folders but not Fabric's own bytes: the same organizations, hosts and file names as the Fabric
 * vectors' {@code crypto-config} (OrdererMSP with {@code orderer.example.com}; Org1MSP with peer0..2,
 * Admin and User1; Org2MSP with peer0..1, Admin and User1), so a test can swap {@code FabricVectors.dir()}
 * for {@link #dir()}. Made once per JVM into a temporary folder that is removed when the JVM exits.
 */
public final class GeneratedCrypto {

    /** The vectors' {@code crypto-config.yaml}, in HOCON. */
    public static final String VECTORS_CRYPTO_CONFIG = """
            OrdererOrgs = [{ Name = Orderer, Domain = example.com, EnableNodeOUs = true,
              Specs = [{ Hostname = orderer, SANS = [localhost, "127.0.0.1"] }] }]
            PeerOrgs = [
              { Name = Org1, Domain = org1.example.com, EnableNodeOUs = true,
                Template { Count = 3, SANS = [localhost, "127.0.0.1"] }, Users { Count = 1 } }
              { Name = Org2, Domain = org2.example.com, EnableNodeOUs = true,
                Template { Count = 2, SANS = [localhost, "127.0.0.1"] }, Users { Count = 1 } }
            ]
            """;

    private static Path dir;

    private GeneratedCrypto() {
    }

    /** A folder holding {@code crypto-config/}, laid out as in the Fabric vectors. */
    public static synchronized Path dir() {
        if (dir == null) {
            dir = generate();
        }
        return dir;
    }

    private static Path generate() {
        try {
            Path root = Files.createTempDirectory("fabsim-crypto-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root), "fabsim-crypto-cleanup"));
            CryptoGenerator.generate(CryptogenConfig.from(ConfigLoader.fromString(VECTORS_CRYPTO_CONFIG)),
                    root.resolve("crypto-config"), Clock.system());
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make test crypto material", e);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the JVM is exiting; a temporary folder left behind is harmless
        }
    }
}
