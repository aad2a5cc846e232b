package io.fabsim.cli;

import io.fabsim.common.config.ConfigLoader;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.time.Clock;
import io.fabsim.tools.configtxgen.ConfigtxConfig;
import io.fabsim.tools.configtxgen.ConfigtxGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.hyperledger.fabric.protos.common.Block;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fabsim configtxgen}: writes a channel genesis block, as Fabric's {@code configtxgen -outputBlock}. */
@Command(name = "configtxgen", mixinStandardHelpOptions = true,
        description = {"Writes a channel genesis block (a Fabric config block) from a configtx.conf profile.",
            "MSPDir paths are relative to --cryptoDir, else to CryptoDir in the file, else to the file's folder."})
public final class ConfigtxgenCommand implements Callable<Integer> {

    /** Environment variable with comma-separated orderer endpoints, used when no --ordererEndpoint is given. */
    public static final String ENDPOINTS_ENV = "FABSIM_ORDERER_ENDPOINTS";

    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "configtx HOCON file (e.g. conf/configtx.conf)")
    private Path config;

    @Option(names = "--profile", required = true, description = "profile under Profiles")
    private String profile;

    @Option(names = "--channelID", required = true, description = "channel id written into the block")
    private String channelId;

    @Option(names = "--outputBlock", required = true, description = "file to write the genesis block to")
    private Path outputBlock;

    @Option(names = "--cryptoDir", description = "cryptogen output folder that relative MSPDir paths start from")
    private Path cryptoDir;

    @Option(names = "--ordererEndpoint", split = ",", paramLabel = "[OrgKey=]host:port",
            description = "orderer endpoint (repeatable); replaces the profile's orderer org endpoints and global"
                    + " addresses. Default: $" + ENDPOINTS_ENV + " (comma-separated)")
    private List<String> ordererEndpoints = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (!channelId.matches("[a-z][a-z0-9.-]*") || channelId.length() > 249) {
            throw new CliException(ExitCode.USAGE, "--channelID: expected a Fabric channel name (lower case letters,"
                    + " digits, '.', '-', starting with a letter, at most 249 characters), got \"" + channelId + "\"");
        }
        Map<String, String> env = System.getenv();
        List<String> endpoints = ordererEndpoints;
        if (endpoints.isEmpty() && env.containsKey(ENDPOINTS_ENV) && !env.get(ENDPOINTS_ENV).isBlank()) {
            endpoints = List.of(env.get(ENDPOINTS_ENV).split(","));
        }
        ConfigtxConfig file = ConfigtxConfig.from(ConfigLoader.load(Optional.of(config), env, List.of("FABSIM")),
                Optional.ofNullable(cryptoDir)).withOrdererEndpoints(profile, endpoints.stream().map(String::trim).toList());
        Block block;
        ChannelConfig written;
        try {
            block = ConfigtxGenerator.genesisBlock(channelId,
                    ConfigtxGenerator.channelConfig(file, file.profile(profile)), Clock.system());
            written = ChannelConfig.fromBlock(block);
        } catch (ConfigTxException e) {
            String hint = cryptoDir == null && e.getMessage().contains("MSPDir")
                    ? " (relative MSPDir paths start at CryptoDir in " + config + "; --cryptoDir DIR points them at"
                    + " the output of fabsim cryptogen generate)" : "";
            throw new CliException(ExitCode.BAD_CONFIG, e.getMessage() + hint, e);
        }
        Path parent = outputBlock.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(outputBlock, block.toByteArray());
        spec.commandLine().getOut().printf("Wrote genesis block of channel %s (profile %s) to %s: orderer orgs %s,"
                        + " application orgs %s, orderer endpoints %s%n", channelId, profile, outputBlock,
                written.ordererOrgs().stream().map(OrgConfig::mspId).toList(),
                written.applicationOrgs().stream().map(OrgConfig::mspId).toList(),
                written.ordererEndpoints().stream().map(e -> e.address().toString()).toList());
        return ExitCode.OK.code();
    }
}
