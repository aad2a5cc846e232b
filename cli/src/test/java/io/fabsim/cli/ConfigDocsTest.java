package io.fabsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabsim.common.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocsTest {

    @Test
    void docsConfigMdIsInStepWithTheReferenceFiles() throws Exception {
        Path docs = projectRoot().resolve("docs/config.md");
        String expected = ConfigDocs.render(ConfigLoader.reference());
        assertThat(docs).as("docs/config.md exists").exists();
        assertThat(Files.readString(docs))
                .as("docs/config.md is stale: run scripts/fabsim config docs --output docs/config.md")
                .isEqualTo(expected);
    }

    @Test
    void everyKeyIsDocumented() {
        String rendered = ConfigDocs.render(ConfigLoader.reference());
        assertThat(rendered).doesNotContain("(undocumented)");
    }

    static Path projectRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("docs")) && Files.exists(p.resolve("cli/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("project root not found from " + Path.of("").toAbsolutePath());
    }
}
