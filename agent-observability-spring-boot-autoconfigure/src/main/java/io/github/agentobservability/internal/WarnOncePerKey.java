package io.github.agentobservability.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;

/**
 * Logs a problem at WARN once for each of its keys (a model without a price, once per
 * model), and nothing the next times.
 * <p>
 * Keys often come from outside (a provider's response), so at most {@code maxKeys} are
 * remembered: a stream of distinct keys cannot exhaust memory, and past the bound new keys
 * are not logged, which also keeps such a stream from flooding the log. Thread-safe.
 *
 * @see WarnOnce
 */
public final class WarnOncePerKey {

	private final Log logger;

	private final int maxKeys;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the log of one problem.
	 * @param logger the logger of the class that has the problem
	 * @param maxKeys how many keys are logged and remembered at the most
	 */
	public WarnOncePerKey(Log logger, int maxKeys) {
		this.logger = logger;
		this.maxKeys = maxKeys;
	}

	/**
	 * Logs the problem for a key at WARN, unless it was logged for that key before or the
	 * bound of keys has been reached.
	 * @param key what the problem is about
	 * @param warning the message
	 */
	public void warn(String key, Supplier<String> warning) {
		if (this.warned.size() < this.maxKeys && this.warned.add(key)) {
			this.logger.warn(warning.get());
		}
	}

}
