package io.github.agentobservability.ai;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Price of a model, in USD per million tokens, as providers publish it.
 * <p>
 * Exists so that the cost of a call can be computed exactly from its token usage:
 * amounts are {@link BigDecimal}s, never rounded, because the cost of one call is often
 * a fraction of a cent and costs are summed over many calls. Input tokens read from a
 * prompt cache are usually cheaper than other input tokens; without a cached-input price,
 * they are priced as input.
 *
 * @param inputPerMillion the price of a million input tokens
 * @param outputPerMillion the price of a million output tokens
 * @param cachedInputPerMillion the price of a million input tokens read from a prompt
 * cache, or {@code null} to price them as input tokens
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion,
		@Nullable BigDecimal cachedInputPerMillion) {

	/**
	 * Creates a price, rejecting negative amounts.
	 * @throws IllegalArgumentException if a price is missing or negative, naming it
	 */
	public ModelPrice {
		requireNonNegative("inputPerMillion", inputPerMillion);
		requireNonNegative("outputPerMillion", outputPerMillion);
		if (cachedInputPerMillion != null) {
			requireNonNegative("cachedInputPerMillion", cachedInputPerMillion);
		}
	}

	private static void requireNonNegative(String name, @Nullable BigDecimal price) {
		Assert.notNull(price, () -> name + " must not be null");
		Assert.isTrue(price.signum() >= 0, () -> name + " must not be negative but was " + price);
	}

	/**
	 * Returns the exact cost of a call, in USD, without trailing zeros: use
	 * {@link BigDecimal#toPlainString()} to print it without an exponent.
	 * @param inputTokens the input tokens of the call, including those read from a cache
	 * @param outputTokens the output tokens of the call
	 * @param cachedInputTokens the part of {@code inputTokens} read from a prompt cache
	 * @return the cost of the call in USD
	 * @throws IllegalArgumentException if a count is negative or if
	 * {@code cachedInputTokens} exceeds {@code inputTokens}
	 */
	public BigDecimal cost(long inputTokens, long outputTokens, long cachedInputTokens) {
		if (inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0) {
			throw new IllegalArgumentException("Token counts must not be negative but were input=" + inputTokens
					+ ", output=" + outputTokens + ", cachedInput=" + cachedInputTokens);
		}
		if (cachedInputTokens > inputTokens) {
			throw new IllegalArgumentException("Cached input tokens (" + cachedInputTokens
					+ ") are part of input tokens (" + inputTokens + ") and cannot exceed them");
		}
		BigDecimal cachedPrice = (this.cachedInputPerMillion != null) ? this.cachedInputPerMillion
				: this.inputPerMillion;
		return BigDecimal.valueOf(inputTokens - cachedInputTokens)
			.multiply(this.inputPerMillion)
			.add(BigDecimal.valueOf(cachedInputTokens).multiply(cachedPrice))
			.add(BigDecimal.valueOf(outputTokens).multiply(this.outputPerMillion))
			.movePointLeft(6)
			.stripTrailingZeros();
	}

}
