package io.github.agentobservability.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * Logs a problem that can recur at WARN the first time, so that it is seen, and later
 * occurrences at DEBUG or not at all, so that a problem on a hot path (a failing handler,
 * a backend that is down, a limit reached on every request) cannot flood the log.
 * <p>
 * One instance per problem, each with its own first time; the messages are built only
 * when they are logged. Thread-safe: of concurrent first occurrences, exactly one is
 * logged at WARN.
 *
 * @see WarnOncePerKey
 */
public final class WarnOnce {

	private final Log logger;

	private final AtomicBoolean warned = new AtomicBoolean();

	/**
	 * Creates the log of one problem.
	 * @param logger the logger of the class that has the problem, so that its name stays
	 * the one users configure levels for
	 */
	public WarnOnce(Log logger) {
		this.logger = logger;
	}

	/**
	 * Logs one occurrence: the first at WARN, the later ones at DEBUG.
	 * @param warning the first message, which should say that later ones are logged at
	 * DEBUG
	 * @param debug the message of a later occurrence
	 * @param failure the cause, or {@code null}
	 */
	public void log(Supplier<String> warning, Supplier<String> debug, @Nullable Throwable failure) {
		if (this.warned.compareAndSet(false, true)) {
			this.logger.warn(warning.get(), failure);
		}
		else if (this.logger.isDebugEnabled()) {
			this.logger.debug(debug.get(), failure);
		}
	}

	/**
	 * Logs the first occurrence at WARN and the later ones not at all: for a state that,
	 * once reported, says all there is (a limit has been reached).
	 * @param warning the message
	 */
	public void warn(Supplier<String> warning) {
		if (this.warned.compareAndSet(false, true)) {
			this.logger.warn(warning.get());
		}
	}

}
