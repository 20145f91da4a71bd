package io.github.agentobservability.metrics.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.agentobservability.internal.WarnOnce;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Bounds the distinct values of one tag key: the first {@code maxValues} values pass, every
 * later one is reported as {@code other}, with one warning. Model names come from
 * responses and tool names from the model; without a bound, a misbehaving client could
 * create a time series per request.
 */
public final class TagValueLimiter {

	/** Value reported once the limit is reached. */
	public static final String OTHER = "other";

	private static final Log logger = LogFactory.getLog(TagValueLimiter.class);

	private final String key;

	private final int maxValues;

	private final Set<String> seen = ConcurrentHashMap.newKeySet();

	private final WarnOnce limitReached = new WarnOnce(logger);

	/**
	 * Creates a limiter.
	 * @param key the tag key, for the warning
	 * @param maxValues how many distinct values pass
	 */
	public TagValueLimiter(String key, int maxValues) {
		if (maxValues < 1) {
			throw new IllegalArgumentException("maxValues must be at least 1 but was " + maxValues);
		}
		this.key = key;
		this.maxValues = maxValues;
	}

	/**
	 * Returns the value to tag with.
	 * @param value the actual value
	 * @return the value, or {@link #OTHER} once the limit is reached
	 */
	public String limit(String value) {
		if (this.seen.contains(value)) {
			return value;
		}
		synchronized (this.seen) {
			if (this.seen.size() < this.maxValues) {
				this.seen.add(value);
				return value;
			}
		}
		this.limitReached.warn(() -> "Tag '" + this.key + "' reached " + this.maxValues
				+ " distinct values; further values are reported as '" + OTHER
				+ "'. Raise agent.observability.metrics.max-tag-values if this is expected.");
		return OTHER;
	}

}
