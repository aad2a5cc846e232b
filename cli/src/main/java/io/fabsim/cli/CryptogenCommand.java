package io.fabsim.cli;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.cryptogen.CryptoGenerator;
import io.fabsim.tools.cryptogen.CryptogenConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fabsim cryptogen generate}: Fabric's cryptogen, from a HOCON crypto-config. */
@Command(name = "cryptogen", mixinStandardHelpOptions = true,
        description = "Generate crypto material (CAs, MSP folders, TLS certificates) in Fabric's cryptogen layout.",
        subcommands = {CryptogenCommand.Generate.class})
public final class CryptogenCommand {

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate key material for the orderer and peer organizations of a crypto-config file.")
    static final class Generate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE",
                description = "The crypto-config in HOCON (OrdererOrgs, PeerOrgs), e.g. conf/crypto-config.conf.")
        Path config;

        @Option(names = "--output", defaultValue = "crypto-config", paramLabel = "DIR",
                description = "The output directory (default: ${DEFAULT-VALUE}). Existing org folders are never overwritten.")
        Path output;

        @Override
        public Integer call() {
            CryptogenConfig cryptoConfig = CryptogenConfig.from(ConfigLoader.load(Optional.of(config), Map.of(), List.of()));
            CryptoGenerator.Result result;
            try {
                result = CryptoGenerator.generate(cryptoConfig, output, Clock.system());
            } catch (CryptoMaterialException e) {
                throw new CliException(ExitCode.FAILURE, e.getMessage(), e);
            }
            for (Path org : result.orgDirs()) {
                spec.commandLine().getOut().println(org);
            }
            spec.commandLine().getOut().printf("Generated %d organizations, %d identities in %s%n",
                    result.orgDirs().size(), result.identities(), output);
            spec.commandLine().getOut().flush();
            return ExitCode.OK.code();
        }
    }
}
