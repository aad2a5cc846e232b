package io.fabsim.cli.network;

import io.fabsim.common.time.Clock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Starts fabsim processes in the background (each in its own session, so the terminal's Ctrl-C
 * does not reach them) and signals them. A signal goes to a pid only while that pid still runs a
 * fabsim command naming the node's config file, so a recycled pid is never hit.
 */
public final class Processes {

    private static final String MAIN = "io.fabsim.cli.FabsimCli";

    private final Clock clock;

    public Processes(Clock clock) {
        this.clock = clock;
    }

    /** Starts {@code fabsim <args>} with the same Java and class path as this process. */
    public long start(List<String> args, String javaOpts, Path logFile) throws IOException {
        return start(List.of(), args, javaOpts, logFile);
    }

    /**
     * Starts {@code <prefix> java ... fabsim <args>}, e.g. with prefix {@code ip netns exec NS}. The
     * prefix must exec the command in place (as {@code ip netns exec} does), so the pid returned is
     * the JVM's.
     */
    public long start(List<String> prefix, List<String> args, String javaOpts, Path logFile) throws IOException {
        List<String> command = command(prefix, args, javaOpts);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command);
        // The class path goes in the environment, not on the command line: the JDK reads at most 4 KiB
        // of another process's command line, and a long class path (Maven's, in tests) would hide the
        // main class and config file that isOurs looks for.
        builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return builder.start().pid();
    }

    /** {@code [setsid] <prefix> java <javaOpts> FabsimCli <args>}, run with this process's class path in {@code CLASSPATH}. */
    static List<String> command(List<String> prefix, List<String> args, String javaOpts) {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(prefix);
        command.add(javaExecutable());
        command.addAll(Arrays.stream(javaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
        command.add(MAIN);
        command.addAll(args);
        return command;
    }

    /** True while {@code pid} runs a fabsim command that mentions {@code marker} (its config file). */
    public boolean isOurs(long pid, String marker) {
        if (pid <= 0) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        Optional<String> line = handle.get().info().commandLine();
        // Some kernels hide the command line of processes of other users; ours are ours.
        return line.isEmpty() || (line.get().contains(MAIN) && line.get().contains(marker));
    }

    /** SIGTERM, then SIGKILL when the process is still alive after {@code grace}. */
    public void stop(long pid, String marker, Duration grace) throws InterruptedException {
        if (!isOurs(pid, marker)) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
        resume(pid, marker); // a paused process cannot act on SIGTERM
        handle.destroy();
        long deadline = clock.nanoTime() + grace.toNanos();
        while (handle.isAlive() && clock.nanoTime() < deadline) {
            clock.sleep(Duration.ofMillis(50));
        }
        if (handle.isAlive()) {
            handle.destroyForcibly();
            awaitExit(handle, Duration.ofSeconds(5));
        }
    }

    /** SIGKILL, as {@code kill -9}. */
    public void kill(long pid, String marker) throws InterruptedException {
        if (isOurs(pid, marker)) {
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            handle.destroyForcibly();
            awaitExit(handle, Duration.ofSeconds(5));
        }
    }

    /** SIGSTOP: the process hangs, its sockets stay open. */
    public void pause(long pid, String marker) throws IOException, InterruptedException {
        signal(pid, marker, "-STOP");
    }

    /** SIGCONT. */
    public void resume(long pid, String marker) throws InterruptedException {
        try {
            signal(pid, marker, "-CONT");
        } catch (IOException e) {
            throw new IllegalStateException("cannot send SIGCONT to " + pid + ": " + e.getMessage(), e);
        }
    }

    private void signal(long pid, String marker, String signal) throws IOException, InterruptedException {
        if (!isOurs(pid, marker)) {
            throw new IOException("process " + pid + " is not running (or is not this network's)");
        }
        Process p = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
        if (p.waitFor() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed: " + new String(p.getInputStream().readAllBytes()).trim());
        }
    }

    private void awaitExit(ProcessHandle handle, Duration bound) throws InterruptedException {
        long deadline = clock.nanoTime() + bound.toNanos();
        while (handle.isAlive() && clock.nanoTime() < deadline) {
            clock.sleep(Duration.ofMillis(20));
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
