package io.fabsim.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared/fabric-vectors}, the data made by real Hyperledger Fabric v2.5.12.
 * Tests call {@link #dir()}: where the folder is absent the test is skipped with a message.
 * The path comes from the {@code fabric.vectors.dir} system property (set by the parent pom),
 * else {@code ../shared/fabric-vectors} relative to the project root.
 */
public final class FabricVectors {

    private FabricVectors() {
    }

    public static Path dir() {
        Path dir = locate();
        assumeTrue(dir != null && Files.isDirectory(dir.resolve("chain")),
                "Fabric vectors not found (looked for ../shared/fabric-vectors, or -Dfabric.vectors.dir): test skipped");
        return dir;
    }

    public static Path chainBlock(int number) {
        return dir().resolve("chain").resolve("block_" + number + ".block");
    }

    public static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        String property = System.getProperty("fabric.vectors.dir");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/fabric-vectors").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
