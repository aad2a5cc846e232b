package io.fabsim.common.operations;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LogSpec}s to logback at run time. As in Fabric, a spec is complete: it replaces
 * every level set before (by logback.xml or an earlier spec), so after {@code PUT "error"} every
 * logger logs at error, and after {@code info:io.fabsim.gossip=debug} only that subtree is at debug.
 */
final class LogLevels {

    private String current;

    synchronized String current() {
        if (current == null) {
            current = context().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel().toString().toLowerCase(Locale.ROOT);
        }
        return current;
    }

    synchronized void apply(LogSpec spec) {
        LoggerContext context = context();
        for (Logger logger : context.getLoggerList()) {
            if (!logger.getName().equals(org.slf4j.Logger.ROOT_LOGGER_NAME) && logger.getLevel() != null) {
                logger.setLevel(null);
            }
        }
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(spec.defaultLevel()));
        spec.loggers().forEach((name, level) -> {
            Logger logger = context.getLogger(name);
            logger.setLevel(Level.toLevel(level));
        });
        current = spec.spec();
    }

    /** Logback is the runnable module's binding (provided scope here): its classes are touched only once it is found. */
    private static LoggerContext context() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return (LoggerContext) factory;
        }
        throw new OperationsException(503, "log levels can only be changed with logback, found " + factory.getClass().getName());
    }
}
