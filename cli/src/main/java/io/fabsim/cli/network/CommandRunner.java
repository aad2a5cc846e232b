package io.fabsim.cli.network;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command to completion; tests replace it to see the commands without running them. */
@FunctionalInterface
public interface CommandRunner {

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    Result run(List<String> command) throws IOException, InterruptedException;

    /** Runs commands as child processes, each killed when it takes longer than 30 s. */
    static CommandRunner system() {
        return command -> {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no exit within 30 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8).trim());
        };
    }
}
