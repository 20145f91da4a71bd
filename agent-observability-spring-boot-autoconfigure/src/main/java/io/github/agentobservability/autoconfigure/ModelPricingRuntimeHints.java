package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.ai.ModelPricing;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Includes the built-in prices of {@link ModelPricing} in a native image, which holds no
 * class path resource unless told to: without them, the model pricing bean would fail
 * application startup.
 */
class ModelPricingRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern("io/github/agentobservability/ai/model-prices.csv");
	}

}
