package io.fabsim.cli;

import io.fabsim.common.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of the {@code fabsim} command line. Each module contributes subcommand classes in this
 * package; register them in {@code subcommands} below. Errors go to stderr and map to an
 * {@link ExitCode}: a {@link ConfigException} is {@link ExitCode#BAD_CONFIG}, a picocli usage error
 * {@link ExitCode#USAGE}, any other exception {@link ExitCode#FAILURE}; a command may also return an
 * exit code itself.
 */
@Command(name = "fabsim", mixinStandardHelpOptions = true, version = "fabsim 0.1.0",
        description = "A Hyperledger-Fabric-style peer node simulator.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ConfigCommand.class,
            ConfigtxgenCommand.class,
            NetworkCommand.class,
            ScenariosCommand.class,
            ChaosCommand.class,
            DemoCommand.class,
            BenchCommand.class,
            CryptogenCommand.class,
            PeerCommand.class,
            OrdererCommand.class,
        })
public final class FabsimCli {

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the command line and returns the exit code (tests call this; it never exits). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new FabsimCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper(FabsimCli::exitCodeOf);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("Error: " + messageOf(ex));
            return exitCodeOf(ex);
        });
        cli.getCommandSpec().exitCodeOnInvalidInput(ExitCode.USAGE.code());
        return cli.execute(args);
    }

    static int exitCodeOf(Throwable t) {
        if (t instanceof CliException cli) {
            return cli.exitCode().code();
        }
        if (t instanceof ConfigException) {
            return ExitCode.BAD_CONFIG.code();
        }
        if (t instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE.code();
        }
        return ExitCode.FAILURE.code();
    }

    private static String messageOf(Throwable t) {
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
