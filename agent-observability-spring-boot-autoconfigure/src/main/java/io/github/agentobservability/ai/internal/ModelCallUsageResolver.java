package io.github.agentobservability.ai.internal;

import io.github.agentobservability.ai.ModelPricing;
import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.observation.EmbeddingModelObservationContext;
import org.springframework.ai.model.observation.ModelObservationContext;
import org.springframework.util.StringUtils;

/**
 * Reads the usage of a chat or embedding call from its observation context and prices
 * it. The result is kept in the context, so the tracing and metrics handlers that both
 * need it compute it once.
 */
public class ModelCallUsageResolver {

	private final ModelPricing pricing;

	public ModelCallUsageResolver(ModelPricing pricing) {
		this.pricing = pricing;
	}

	/**
	 * Returns the usage of a chat call.
	 * @param context the chat observation's context, after the response was set
	 * @return the usage
	 */
	public ModelCallUsage resolve(ChatModelObservationContext context) {
		return context.computeIfAbsent(ModelCallUsage.class, (key) -> {
			ChatResponse response = context.getResponse();
			String responseModel = (response != null) ? response.getMetadata().getModel() : null;
			Usage usage = (response != null) ? response.getMetadata().getUsage() : null;
			ChatOptions options = context.getRequest().getOptions();
			String requestModel = (options != null) ? options.getModel() : null;
			return usage(context, responseModel, requestModel, usage);
		});
	}

	/**
	 * Returns the usage of an embedding call.
	 * @param context the embedding observation's context, after the response was set
	 * @return the usage
	 */
	public ModelCallUsage resolve(EmbeddingModelObservationContext context) {
		return context.computeIfAbsent(ModelCallUsage.class, (key) -> {
			EmbeddingResponse response = context.getResponse();
			String responseModel = (response != null) ? response.getMetadata().getModel() : null;
			Usage usage = (response != null) ? response.getMetadata().getUsage() : null;
			String requestModel = context.getRequest().getOptions().getModel();
			return usage(context, responseModel, requestModel, usage);
		});
	}

	private ModelCallUsage usage(ModelObservationContext<?, ?> context, @Nullable String responseModel,
			@Nullable String requestModel, @Nullable Usage usage) {
		String provider = context.getOperationMetadata().provider();
		String model = StringUtils.hasText(responseModel) ? responseModel
				: StringUtils.hasText(requestModel) ? requestModel : ModelCallUsage.NO_MODEL;
		long input = tokens((usage != null) ? usage.getPromptTokens() : null);
		long output = tokens((usage != null) ? usage.getCompletionTokens() : null);
		long total = tokens((usage != null) ? usage.getTotalTokens() : null);
		long cacheRead = Math.min(input, tokens((usage != null) ? usage.getCacheReadInputTokens() : null));
		boolean reported = input > 0 || output > 0 || total > 0;
		BigDecimal cost = (reported && !ModelCallUsage.NO_MODEL.equals(model))
				? this.pricing.cost(model, input, output, cacheRead).orElse(null) : null;
		return new ModelCallUsage(provider, model, input, output, total, cacheRead, reported, cost);
	}

	private static long tokens(@Nullable Number value) {
		return (value != null) ? Math.max(0, value.longValue()) : 0;
	}

}
