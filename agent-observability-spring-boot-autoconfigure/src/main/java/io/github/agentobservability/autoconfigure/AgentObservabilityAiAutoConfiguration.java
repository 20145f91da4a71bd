package io.github.agentobservability.autoconfigure;

import io.github.agentobservability.ai.internal.OpenAiStreamedCalls;
import io.github.agentobservability.metrics.internal.MeterAttribution;
import io.github.agentobservability.ai.internal.StreamedRequestTracingHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.core.instrument.binder.okhttp3.OkHttpContext;
import okhttp3.Interceptor;
import org.springframework.ai.openai.http.okhttp.OpenAiHttpClientBuilderCustomizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.github.agentobservability.ai.internal.ContentCapture;
import io.github.agentobservability.ai.internal.FirstChunkAdvisor;
import io.github.agentobservability.ai.internal.GenAiMetricsObservationHandler;
import io.github.agentobservability.ai.internal.GenAiSpanAttributes;
import io.github.agentobservability.ai.internal.GenAiTracingObservationHandler;
import io.github.agentobservability.ai.internal.ModelCallUsageResolver;
import io.github.agentobservability.ai.ContentRedactor;
import io.github.agentobservability.ai.ModelPrice;
import io.github.agentobservability.ai.ModelPricing;
import io.github.agentobservability.ai.internal.ModelServers;
import io.github.agentobservability.ai.internal.StreamingChats;
import io.github.agentobservability.ai.internal.ToolErrorRecorder;
import io.github.agentobservability.metrics.internal.AgentMetrics;
import io.github.agentobservability.metrics.internal.GenAiMetrics;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.client.ChatClientCustomizer;
import org.springframework.ai.chat.observation.ChatModelObservationContext;
import org.springframework.ai.tool.execution.ToolExecutionExceptionProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the Spring AI instrumentation: Spring AI's chat, embedding, tool,
 * ChatClient and vector store observations get one enriched span each (typed usage, cost,
 * agent attribution, optionally redacted content) and ChatClient streams their time to
 * first chunk.
 */
@AutoConfiguration(after = { AgentObservabilityAutoConfiguration.class, AgentObservabilityMetricsAutoConfiguration.class },
		afterName = {
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration" })
@ConditionalOnClass(ChatModelObservationContext.class)
@ConditionalOnBooleanProperty(name = "agent.observability.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AgentObservabilityProperties.class)
@ImportRuntimeHints(ModelPricingRuntimeHints.class)
public final class AgentObservabilityAiAutoConfiguration {

	private static final Log logger = LogFactory.getLog(AgentObservabilityAiAutoConfiguration.class);

	private static final String PRICING_PREFIX = "agent.observability.pricing.models.";

	private static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

	@Bean
	@ConditionalOnMissingBean
	ModelPricing agentObservabilityModelPricing(AgentObservabilityProperties properties) {
		return ModelPricing.withDefaults(modelPrices(properties.getPricing().getModels()));
	}

	static Map<String, ModelPrice> modelPrices(Map<String, AgentObservabilityProperties.ModelPriceProperties> models) {
		Map<String, ModelPrice> prices = new LinkedHashMap<>();
		models.forEach((model, price) -> {
			String prefix = PRICING_PREFIX + model + ".";
			requireNonNegative(prefix + "input-per-million", price.getInputPerMillion());
			requireNonNegative(prefix + "output-per-million", price.getOutputPerMillion());
			requireNonNegative(prefix + "cached-input-per-million", price.getCachedInputPerMillion());
			if (price.getInputPerMillion() == null) {
				throw new InvalidConfigurationPropertyValueException(prefix + "input-per-million", null,
						"Every priced model needs input-per-million and output-per-million (USD per million tokens).");
			}
			if (price.getOutputPerMillion() == null) {
				throw new InvalidConfigurationPropertyValueException(prefix + "output-per-million", null,
						"Every priced model needs input-per-million and output-per-million (USD per million tokens).");
			}
			prices.put(model, new ModelPrice(price.getInputPerMillion(), price.getOutputPerMillion(),
					price.getCachedInputPerMillion()));
		});
		return prices;
	}

	private static void requireNonNegative(String property, java.math.@Nullable BigDecimal price) {
		if (price != null && price.signum() < 0) {
			throw new InvalidConfigurationPropertyValueException(property, price,
					"Prices are USD per million tokens and cannot be negative.");
		}
	}

	@Bean
	@ConditionalOnMissingBean
	ModelCallUsageResolver agentObservabilityModelCallUsageResolver(ModelPricing pricing) {
		return new ModelCallUsageResolver(pricing);
	}

	@Bean
	@ConditionalOnMissingBean
	GenAiSpanAttributes agentObservabilityGenAiSpanAttributes(AgentObservabilityProperties properties,
			ModelCallUsageResolver usageResolver, ContentRedactor redactor, Environment environment) {
		return new GenAiSpanAttributes(usageResolver, properties.getAi().isLegacyAttributes(),
				contentCapture(properties.getContent(), redactor), modelServers(environment),
				properties.getAi().isDeprecatedSystemAttribute());
	}

	/**
	 * The servers of the model clients Spring AI configures from properties, as their
	 * clients resolve them: OpenAI's chat base URL, else its common one, else the
	 * OpenAI SDK's default.
	 */
	static ModelServers modelServers(Environment environment) {
		String openAi = environment.getProperty("spring.ai.openai.chat.base-url",
				environment.getProperty("spring.ai.openai.base-url", OPENAI_DEFAULT_BASE_URL));
		return ModelServers.of(Map.of("openai", openAi));
	}

	static @Nullable ContentCapture contentCapture(AgentObservabilityProperties.Content content,
			ContentRedactor redactor) {
		UnaryOperator<String> text = ContentCaptureSettings.text(content, redactor);
		if (text == null) {
			return null;
		}
		logger.warn("Content capture is on (agent.observability.content.capture=true): prompts, completions and "
				+ "tool arguments and results are recorded on spans, redacted and truncated to "
				+ content.getMaxLength() + " characters. Make sure your trace backends may hold such data.");
		return new ContentCapture(text);
	}

	@Bean
	static BeanPostProcessor agentObservabilityToolErrorRecorderPostProcessor(
			ObjectProvider<ObservationRegistry> registry) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof ToolExecutionExceptionProcessor processor && !(bean instanceof ToolErrorRecorder)) {
					return new ToolErrorRecorder(processor, registry::getObject);
				}
				return bean;
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean
	StreamingChats agentObservabilityStreamingChats() {
		return new StreamingChats();
	}

	/**
	 * With any Micrometer {@link Tracer}: OpenTelemetry's gets typed attributes written
	 * with the OpenTelemetry API, another (Brave's) through Micrometer's tag methods.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tracer.class, io.opentelemetry.api.trace.Span.class })
	@ConditionalOnBean(Tracer.class)
	static class GenAiTracingConfiguration {

		@Bean
		@Order(MicrometerTracingAutoConfiguration.DEFAULT_TRACING_OBSERVATION_HANDLER_ORDER - 100)
		@ConditionalOnMissingBean
		GenAiTracingObservationHandler genAiTracingObservationHandler(Tracer tracer, GenAiSpanAttributes attributes,
				ObjectProvider<ObservationRegistry> registry, StreamingChats streamingChats,
				AgentObservabilityProperties properties) {
			return new GenAiTracingObservationHandler(tracer, attributes, registry::getObject, streamingChats,
					properties.getAi().isFrameworkSpans());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(AgentMetrics.class)
	static class GenAiMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GenAiMetricsObservationHandler genAiMetricsObservationHandler(AgentMetrics metrics,
				ModelCallUsageResolver usageResolver, ObjectProvider<GenAiMetrics> genAiMetrics,
				ObjectProvider<MeterAttribution> attribution) {
			return new GenAiMetricsObservationHandler(metrics, usageResolver, genAiMetrics.getIfAvailable(),
					attribution.getIfAvailable(MeterAttribution::none));
		}

	}

	/**
	 * Spring AI's OpenAI client, whose streamed requests run on OkHttp's dispatcher.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ OpenAiHttpClientBuilderCustomizer.class, Interceptor.class, OkHttpContext.class })
	static class OpenAiStreamConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "agentObservabilityOpenAiStreamedCalls")
		OpenAiStreamedCalls agentObservabilityOpenAiStreamedCalls(StreamingChats streamingChats) {
			return new OpenAiStreamedCalls(streamingChats);
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(Tracer.class)
		static class StreamedRequestTracingConfiguration {

			/**
			 * Ordered before Boot's sender handler, which would trace a streamed call's
			 * request, sent from OkHttp's dispatcher thread, as a root span.
			 */
			@Bean
			@Order(MicrometerTracingAutoConfiguration.SENDER_TRACING_OBSERVATION_HANDLER_ORDER - 100)
			@ConditionalOnBean({ Tracer.class, Propagator.class })
			@ConditionalOnMissingBean
			StreamedRequestTracingHandler agentObservabilityStreamedRequestTracingHandler(Tracer tracer,
					Propagator propagator, StreamingChats streamingChats) {
				return new StreamedRequestTracingHandler(tracer, propagator, streamingChats);
			}

		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ChatClientCustomizer.class)
	static class ChatClientConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FirstChunkAdvisor agentObservabilityFirstChunkAdvisor(StreamingChats streamingChats) {
			return new FirstChunkAdvisor(streamingChats);
		}

		@Bean
		@ConditionalOnMissingBean(name = "agentObservabilityChatClientCustomizer")
		ChatClientCustomizer agentObservabilityChatClientCustomizer(FirstChunkAdvisor advisor) {
			return (builder) -> builder.defaultAdvisors(advisor);
		}

	}

}
