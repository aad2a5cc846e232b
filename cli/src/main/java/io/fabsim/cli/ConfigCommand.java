package io.fabsim.cli;

import io.fabsim.common.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code fabsim config docs|show}: the configuration reference and the effective configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Configuration reference (docs) and effective values (show).",
        subcommands = {ConfigCommand.Docs.class, ConfigCommand.Show.class})
final class ConfigCommand {

    @Command(name = "docs", mixinStandardHelpOptions = true,
            description = "Write the Markdown table of every configuration key (docs/config.md).")
    static final class Docs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--output", description = "File to write; standard output when absent.")
        Path output;

        @Override
        public Integer call() throws IOException {
            String markdown = ConfigDocs.render(ConfigLoader.reference());
            if (output == null) {
                spec.commandLine().getOut().print(markdown);
            } else {
                Files.writeString(output, markdown);
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the effective configuration: reference defaults, then --config, then environment.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", description = "HOCON file.")
        Path config;

        @Option(names = "--path", description = "Only this sub-tree, e.g. peer.gossip.")
        String path;

        @Override
        public Integer call() {
            var reader = ConfigLoader.load(Optional.ofNullable(config), System.getenv(), List.of("CORE", "ORDERER", "FABSIM"));
            var tree = path == null ? reader.config().root() : reader.config().getValue(path);
            spec.commandLine().getOut().println(tree.render(com.typesafe.config.ConfigRenderOptions.defaults()
                    .setOriginComments(false).setJson(false)));
            return ExitCode.OK.code();
        }
    }
}
