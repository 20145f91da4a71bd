package io.github.agentobservability.ai.internal;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * What one model call used and cost, read once from the response Spring AI recorded and
 * shared by the span and the meters so that both say the same.
 *
 * @param provider the provider, such as {@code openai}
 * @param model the model that answered (the response model, else the requested one), or
 * {@code none}
 * @param inputTokens prompt tokens, cache reads included
 * @param outputTokens completion tokens
 * @param totalTokens total tokens as reported
 * @param cacheReadInputTokens prompt tokens served from the provider's cache
 * @param reported whether the provider reported usage at all
 * @param costUsd estimated cost in USD, or {@code null} when the model has no price
 */
public record ModelCallUsage(String provider, String model, long inputTokens, long outputTokens, long totalTokens,
		long cacheReadInputTokens, boolean reported, @Nullable BigDecimal costUsd) {

	/** Model name when neither the response nor the request names one. */
	public static final String NO_MODEL = "none";

}
