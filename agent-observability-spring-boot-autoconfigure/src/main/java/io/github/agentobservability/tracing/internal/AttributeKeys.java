package io.github.agentobservability.tracing.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.common.KeyValue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * OpenTelemetry attribute keys for the key names of observations, made once per name.
 * Setting an attribute by name makes a new key, and hashes it, on every call; the key
 * names of observations come from conventions and filters, so there are few of them and
 * their keys are kept.
 */
public final class AttributeKeys {

	/**
	 * Past this many names, keys are made per call rather than kept, so that a
	 * misbehaving convention cannot grow the map without bound.
	 */
	private static final int MAX_KEYS = 1024;

	private final ConcurrentMap<String, AttributeKey<String>> keys = new ConcurrentHashMap<>();

	/**
	 * Returns the string attribute key of the given name.
	 * @param name the key name
	 * @return the attribute key
	 */
	public AttributeKey<String> of(String name) {
		AttributeKey<String> key = this.keys.get(name);
		if (key == null) {
			key = AttributeKey.stringKey(name);
			if (this.keys.size() < MAX_KEYS) {
				this.keys.putIfAbsent(name, key);
			}
		}
		return key;
	}

	/**
	 * Sets a key value on a span as a string attribute.
	 * @param span the span
	 * @param keyValue the key value
	 */
	public void set(Span span, KeyValue keyValue) {
		span.setAttribute(of(keyValue.getKey()), keyValue.getValue());
	}

}
