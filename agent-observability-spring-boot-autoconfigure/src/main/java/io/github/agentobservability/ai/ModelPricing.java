package io.github.agentobservability.ai;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import io.github.agentobservability.ai.internal.ModelPriceTable;
import org.jspecify.annotations.Nullable;

/**
 * Where the prices of models come from, to give each model call a cost in USD.
 * <p>
 * The starter's bean is a table of built-in list prices ({@link #defaults()}) with the
 * {@code agent.observability.pricing.models.*} overrides on top, resolving the dated,
 * versioned and prefixed names providers report ({@code gpt-4o-mini-2024-07-18},
 * {@code openai/gpt-4o}) to a known one. Define a bean of this type to take prices from
 * somewhere else, a price service or a database for example; {@link #withDefaults(Map)}
 * gives the built-in table to fall back on. It is called on every model call, from any
 * thread, so an implementation must be thread-safe and should answer from memory.
 */
@FunctionalInterface
public interface ModelPricing {

	/**
	 * Returns the price of the given model.
	 * @param model the model name, as requested or as reported by the provider
	 * @return the price, or empty if the model has none: its calls then get no cost
	 */
	Optional<ModelPrice> priceOf(@Nullable String model);

	/**
	 * Returns the cost of a call to the given model.
	 * @param model the model name, as requested or as reported by the provider
	 * @param inputTokens the input tokens of the call, including those read from a cache
	 * @param outputTokens the output tokens of the call
	 * @param cachedInputTokens the part of {@code inputTokens} read from a prompt cache
	 * @return the cost in USD, or empty if the model has no price
	 * @throws IllegalArgumentException if a count is negative or if
	 * {@code cachedInputTokens} exceeds {@code inputTokens}
	 * @see ModelPrice#cost(long, long, long)
	 */
	default Optional<BigDecimal> cost(@Nullable String model, long inputTokens, long outputTokens,
			long cachedInputTokens) {
		return priceOf(model).map((price) -> price.cost(inputTokens, outputTokens, cachedInputTokens));
	}

	/**
	 * Returns a pricing knowing only the given prices, with the built-in table's name
	 * resolution: a name is matched ignoring case, then without its provider prefix and
	 * date or version suffixes, then by its longest known prefix followed by {@code -}.
	 * A model without a price is logged once at WARN level.
	 * @param prices the prices by model name, case-insensitive
	 * @return the pricing
	 * @throws IllegalArgumentException if a name is blank or two names differ only by case
	 */
	static ModelPricing of(Map<String, ModelPrice> prices) {
		return new ModelPriceTable(prices);
	}

	/**
	 * Returns the starter's default pricing: the {@linkplain #defaults() built-in prices}
	 * and the given overrides, which win, resolved as {@link #of(Map)} resolves them.
	 * @param overrides the prices by model name, case-insensitive, to use instead of or in
	 * addition to the built-in ones
	 * @return the pricing
	 * @throws IllegalArgumentException if a name is blank or two names differ only by case
	 * @throws IllegalStateException if the built-in prices cannot be read
	 */
	static ModelPricing withDefaults(Map<String, ModelPrice> overrides) {
		return ModelPriceTable.withDefaults(overrides);
	}

	/**
	 * Returns the built-in list prices, by lower-case model name, from the starter's
	 * {@code model-prices.csv}, which says when they were published.
	 * @return the built-in prices
	 * @throws IllegalStateException if the built-in prices cannot be read
	 */
	static Map<String, ModelPrice> defaults() {
		return ModelPriceTable.defaults();
	}

}
