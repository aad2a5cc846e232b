package io.fabsim.common.msp;

import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.crypto.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads the parts of one MSP folder in Fabric's layout; errors name the folder and file. */
final class MspFolder {

    private final Path dir;

    MspFolder(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CryptoMaterialException(dir + ": not an MSP folder (no such directory)");
        }
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    List<X509Certificate> requiredCerts(String sub) {
        List<X509Certificate> certs = optionalCerts(sub);
        if (certs.isEmpty()) {
            throw new CryptoMaterialException(dir.resolve(sub) + ": expected at least one PEM certificate, found none");
        }
        return certs;
    }

    List<X509Certificate> optionalCerts(String sub) {
        List<X509Certificate> certs = new ArrayList<>();
        for (Path file : files(sub)) {
            certs.addAll(Pem.parseCertificates(readFile(file), file.toString()));
        }
        return certs;
    }

    /** The regular files of a sub-folder, sorted by name; none when the sub-folder is absent. */
    List<Path> files(String sub) {
        Path folder = dir.resolve(sub);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        } catch (IOException e) {
            throw new CryptoMaterialException(folder + ": cannot list (" + e + ")", e);
        }
    }

    /** NodeOUs from {@code config.yaml}; disabled when the file or its NodeOUs section is absent. */
    NodeOUs nodeOUs() {
        Path file = dir.resolve("config.yaml");
        if (!Files.isRegularFile(file)) {
            return NodeOUs.disabled();
        }
        Map<String, Object> yaml = SimpleYaml.parse(new String(readFile(file), StandardCharsets.UTF_8), file.toString());
        if (!(yaml.get("NodeOUs") instanceof Map<?, ?> ous)) {
            return NodeOUs.disabled();
        }
        boolean enabled = Boolean.parseBoolean(String.valueOf(ous.get("Enable")));
        return new NodeOUs(enabled, ou(file, ous, "ClientOUIdentifier"), ou(file, ous, "PeerOUIdentifier"),
                ou(file, ous, "AdminOUIdentifier"), ou(file, ous, "OrdererOUIdentifier"));
    }

    private NodeOUs.OuIdentifier ou(Path file, Map<?, ?> ous, String key) {
        if (!(ous.get(key) instanceof Map<?, ?> id)) {
            return null;
        }
        Object name = id.get("OrganizationalUnitIdentifier");
        if (name == null || String.valueOf(name).isBlank()) {
            throw new CryptoMaterialException(file + ": NodeOUs." + key + ".OrganizationalUnitIdentifier: expected a name, got none");
        }
        Optional<X509Certificate> cert = Optional.empty();
        Object certPath = id.get("Certificate");
        if (certPath != null && !String.valueOf(certPath).isBlank()) {
            Path certFile = dir.resolve(String.valueOf(certPath));
            if (!Files.isRegularFile(certFile)) {
                throw new CryptoMaterialException(file + ": NodeOUs." + key + ".Certificate: expected a file relative to "
                        + dir + ", got \"" + certPath + "\" (no such file)");
            }
            cert = Optional.of(Pem.readCertificate(certFile));
        }
        return new NodeOUs.OuIdentifier(String.valueOf(name), cert);
    }

    static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CryptoMaterialException(file + ": cannot read (" + e + ")", e);
        }
    }
}
